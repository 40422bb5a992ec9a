"""What every public page shares: no login, reads only, a rate limit, a shared cache.

A public page is the same for everyone who reads it in the same language, so its response is
kept in the cache (Redis when REDIS_URL is set, shared by every web process) and marked public
for a proxy in front. Publishing or withdrawing anything starts a new generation of the cache,
so a withdrawal is off the app's pages at once (a proxy may keep a page PUBLIC_MAX_AGE seconds).
A client over the rate limit gets 429 with a message in its language.
"""

import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger(__name__)

GENERATION_KEY = "public:generation"


def new_generation():
    """Called after every publication or withdrawal: every cached public page is stale."""
    try:
        cache.set(GENERATION_KEY, _generation() + 1, None)
    except Exception:  # the cache is down: pages are not cached either
        logger.warning("public pages: the cache could not be told of a publication")


def _generation() -> int:
    return cache.get(GENERATION_KEY) or 0


def _cache_key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public:{_generation()}:{translation.get_language()}:{path}"


# What a public page's template must not read from the request: whoever is signed in (a cached
# page is served to everyone) and their pending messages.
PUBLIC_CONTEXT = {"user": AnonymousUser(), "messages": ()}


def public_render(request, template, context, **kwargs):
    return render(request, template, {**context, **PUBLIC_CONTEXT}, **kwargs)


def too_many_requests(request):
    response = public_render(request, "public/429.html", {}, status=429)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response


def public_view(view):
    """No login, GET and HEAD only, rate limited, cached."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if is_ratelimited(
            request, group="public", key="ip", rate=settings.PUBLIC_RATE_LIMIT, increment=True
        ):
            return too_many_requests(request)
        key = cached = None
        if settings.PUBLIC_CACHE_SECONDS > 0:
            try:
                key = _cache_key(request)
                cached = cache.get(key)
            except Exception:  # the cache is down: the page is made as if it were not cached
                key = cached = None
        if cached is not None:
            response = HttpResponse(cached["content"], content_type=cached["content_type"])
            for header, value in cached["headers"].items():
                response[header] = value
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and key is not None and not response.streaming:
                kept = {h: response[h] for h in ("Content-Disposition",) if h in response}
                try:
                    cache.set(
                        key,
                        {"content": response.content, "content_type": response["Content-Type"],
                         "headers": kept},
                        settings.PUBLIC_CACHE_SECONDS,
                    )  # fmt: skip
                except Exception:
                    logger.warning("public pages: the cache is not answering")
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE)
        # The language is the visitor's choice, kept in a cookie.
        patch_vary_headers(response, ["Cookie"])
        return response

    return login_not_required(require_safe(wrapped))
