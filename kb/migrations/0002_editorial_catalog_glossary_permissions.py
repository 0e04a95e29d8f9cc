"""Let the editorial groups curate the catalogue, the matrix and the glossary.

Editors add, change and view models, features, cells and terms and their history (and remove a
term's alias); publishers may also delete them. This migration lives in `kb` because it spans the
articles, models_catalog and glossary apps. The lists are a frozen copy of articles/workflow.py's,
whose `ensure_groups` (post_migrate) keeps them complete after any flush and adds permissions of
models created by later migrations (for example a history table added afterwards).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED = {
    "models_catalog": [
        "organization", "license", "modality", "accesschannel", "aimodel", "featuregroup",
        "feature", "assessment",
    ],
    "glossary": ["term", "alias"],
}  # fmt: skip
CURATED_HISTORY = {"models_catalog": ["historicalaimodel", "historicalassessment"],
                   "glossary": ["historicalterm"]}  # fmt: skip
EDITOR = [
    (app, f"{action}_{model}")
    for app, models in CURATED.items()
    for model in models
    for action in ("add", "change", "view")
] + [(app, f"view_{model}") for app, models in CURATED_HISTORY.items() for model in models]
EDITOR.append(("glossary", "delete_alias"))
PUBLISHER = EDITOR + [(app, f"delete_{model}") for app, models in CURATED.items() for model in models]
GROUPS = {"Editors": EDITOR, "Publishers": PUBLISHER}


def grant(apps, schema_editor):
    for label in CURATED:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, pairs in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in pairs:
            # A history model added by a later migration has no permission yet: post_migrate's
            # ensure_groups grants it once it exists.
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission:
                group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, pairs in GROUPS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app_label, codename in pairs:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0001_initial"),
        ("articles", "0002_editorial_groups"),
        ("models_catalog", "0001_initial"),
        ("glossary", "0003_postgres_definition_search"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
