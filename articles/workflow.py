"""Who may move an article between draft, review and published.

The admin asks these functions in its form validation, its save and its actions, so the rule holds
for any request the server receives, not just for the options a page happens to show.
"""

from articles.models import Status

PUBLISH_PERMISSION = "articles.publish_article"
EDITORS_GROUP = "Editors"
PUBLISHERS_GROUP = "Publishers"


def can_publish(user):
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def allowed_statuses(user, current_status=None):
    """The statuses this user may leave an article in, given the status it has now."""
    if can_publish(user):
        return list(Status.values)
    if current_status == Status.PUBLISHED:
        # Taking a live article down is unpublishing, which is a publisher's call.
        return [Status.PUBLISHED]
    return [Status.DRAFT, Status.REVIEW]


def check_transition(user, current_status, new_status):
    """Return an error message if `user` may not move an article to `new_status`, else None."""
    if new_status in allowed_statuses(user, current_status):
        return None
    if current_status == Status.PUBLISHED:
        return "Only a publisher can change the status of a published article."
    return "Only a publisher can publish an article; submit it for review instead."


# The groups' permissions (app label, codename). Migration articles/0002 created the article
# ones and kb/0002 the catalogue and glossary ones on a fresh database, each with its own frozen
# copy; `ensure_groups` restores all of them after any flush (test runs, `flush`).
EDITOR_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("articles", "view_historicalarticle"),
    ("articles", "add_tag"),
    ("articles", "change_tag"),
    ("articles", "view_tag"),
]
PUBLISHER_PERMISSIONS = EDITOR_PERMISSIONS + [
    ("articles", "publish_article"),
    ("articles", "view_slugredirect"),
]

# Editors also curate the catalogue, the matrix cells and the glossary (PRODUCT.md): they add,
# change and view those rows and their history, and may remove a term's alias (aliases are edited
# inline on the term). Deleting a model, feature, cell or term loses public evidence and history,
# so it is a publisher's call.
CURATED = {
    "models_catalog": [
        "organization", "license", "modality", "accesschannel", "aimodel", "featuregroup",
        "feature", "assessment",
    ],
    "glossary": ["term", "alias"],
}  # fmt: skip
CURATED_HISTORY = {"models_catalog": ["historicalaimodel", "historicalassessment"],
                   "glossary": ["historicalterm"]}  # fmt: skip
CURATOR_PERMISSIONS = [
    (app, f"{action}_{model}")
    for app, models in CURATED.items()
    for model in models
    for action in ("add", "change", "view")
] + [(app, f"view_{model}") for app, models in CURATED_HISTORY.items() for model in models]
CURATOR_PERMISSIONS.append(("glossary", "delete_alias"))
CATALOG_PUBLISHER_PERMISSIONS = CURATOR_PERMISSIONS + [
    (app, f"delete_{model}") for app, models in CURATED.items() for model in models
]

GROUP_PERMISSIONS = {
    EDITORS_GROUP: EDITOR_PERMISSIONS + CURATOR_PERMISSIONS,
    PUBLISHERS_GROUP: PUBLISHER_PERMISSIONS + CATALOG_PUBLISHER_PERMISSIONS,
}


def ensure_groups(**kwargs):
    """Create the editorial groups if missing and give them their permissions (idempotent).

    Connected to post_migrate for the articles app, which comes after glossary and models_catalog
    in INSTALLED_APPS, so every permission named here exists by then.
    """
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for name, pairs in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Q(pk__in=[])
        for app_label, codename in set(pairs):
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.filter(wanted))
