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
