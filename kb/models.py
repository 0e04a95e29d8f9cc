from django.db import models


class ContentRecord(models.Model):
    """What the demo-content loader last wrote to one row, so a reload can tell editor changes.

    A row whose current state no longer hashes to `row_hash` was edited in the admin since it was
    loaded; the loader then leaves it alone, whatever the content files now say.
    """

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    data_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="content_record_unique"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.key}"
