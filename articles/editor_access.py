"""Access rule for the editor's helper endpoints (Markdown preview, image upload)."""

from functools import wraps

from django.http import JsonResponse


def staff_only(view):
    """Allow only active staff; everyone else gets a JSON 403 (these are XHR endpoints)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return JsonResponse({"error": "Staff only."}, status=403)
        return view(request, *args, **kwargs)

    return wrapped
