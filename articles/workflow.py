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


# The groups' permissions (app label, codename). Migration 0002 creates them on a fresh database
# with its own frozen copy; `ensure_groups` restores them after any flush (test runs, `flush`).
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
GROUP_PERMISSIONS = {EDITORS_GROUP: EDITOR_PERMISSIONS, PUBLISHERS_GROUP: PUBLISHER_PERMISSIONS}


def ensure_groups(**kwargs):
    """Create the editorial groups if missing and give them their permissions (idempotent).

    Connected to post_migrate, which runs after permissions exist.
    """
    from django.contrib.auth.models import Group, Permission

    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Permission.objects.filter(
            content_type__app_label="articles", codename__in=[c for _, c in codenames]
        )
        group.permissions.add(*wanted)
