from django.db import migrations

# Only PostgreSQL gets the trigram extension and indexes (glossary/search.py uses them there);
# on SQLite this migration does nothing, so the same migration history works on both.
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS glossary_term_key_trgm ON glossary_term USING gin (key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS glossary_alias_key_trgm ON glossary_alias USING gin (key gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS glossary_alias_key_trgm",
    "DROP INDEX IF EXISTS glossary_term_key_trgm",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("glossary", "0001_initial")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
