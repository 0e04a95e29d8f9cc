from django.db import migrations

# The expression must match the one SearchVector("definition", config="english") compiles to,
# so that PostgreSQL can answer glossary/search.py's full-text filter from this index. On SQLite
# this migration does nothing.
# The trigram index on the display name serves the word-start regular expression.
CREATE = [
    "CREATE INDEX IF NOT EXISTS glossary_term_definition_fts ON glossary_term "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(definition, '')))",
    "CREATE INDEX IF NOT EXISTS glossary_term_term_trgm ON glossary_term "
    "USING gin (term gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS glossary_term_term_trgm",
    "DROP INDEX IF EXISTS glossary_term_definition_fts",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("glossary", "0002_postgres_trigram")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
