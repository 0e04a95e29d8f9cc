from django.contrib.syndication.views import Feed
from django.urls import reverse

from kb.feeds import XmlSafeAtomFeed
from kb.rendering import render_markdown
from models_catalog.changes import cell_changes, describe

FEED_LENGTH = 50


class CellChangesFeed(Feed):
    """Atom feed of /matrix/changes/: one entry per saved version of a cell."""

    feed_type = XmlSafeAtomFeed
    title = "Open vs Closed AI — matrix changes"
    subtitle = "Every change to a cell of the comparison matrix: model, feature, old and new value."

    def link(self):
        return reverse("models_catalog:matrix_changes")

    def items(self):
        return cell_changes()[:FEED_LENGTH]

    def item_title(self, item):
        return (
            f"{item.model.name} · {item.feature.name}: "
            f"{describe(item.previous_value)} → {describe(item.value)}"
        )

    def item_description(self, item):
        # Feed readers render this as HTML and history does not keep note_html: render the
        # editor's Markdown through the one sanitizing renderer.
        return render_markdown(item.note) or "No note."

    def item_link(self, item):
        return f"{item.model.get_absolute_url()}#cell-{item.feature.slug}"

    def item_guid(self, item):
        return f"{self.item_link(item)}@{item.history_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.history_date

    def item_updateddate(self, item):
        return item.history_date
