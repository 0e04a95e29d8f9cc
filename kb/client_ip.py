"""The client's address as the deployment sees it, for login throttling (django-axes).

Directly exposed, the peer address (REMOTE_ADDR) is the client. Behind N trusted reverse proxies
(DJANGO_TRUSTED_PROXY_COUNT=N), each proxy appends the address it received the request from to
X-Forwarded-For, so the client is the Nth entry from the right; anything further left was written
by the client itself and could be forged to dodge the throttle.
"""

from django.conf import settings


def client_ip(request):
    proxies = settings.KB_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
