"""What a user typed survives a login that expired while they typed it.

A form long enough to take half an hour (a session's opinions, typed in a village hall) is
posted after the login has ended. Instead of losing the post, the stash keeps it in the new
(anonymous) session; Django keeps session data across login, so once the user has signed in
again the view finds it and shows the form as typed. Nothing is saved until the user saves.

Only views marked with @keeps_post_across_login stash, and only posts that passed the CSRF
check (the middleware sits after CsrfViewMiddleware and before LoginRequiredMiddleware).
"""

import datetime

from django.http import QueryDict
from django.utils import timezone

STASH = "stashed_post"
# Never replayed: the login form's token would be stale, and the rest is the page's own.
NOT_KEPT = {"csrfmiddlewaretoken"}
# Typed rows older than this are from another day's work: not brought back.
KEPT_HOURS = 12


def keeps_post_across_login(view):
    view.keeps_post_across_login = True
    return view


def stash_post(request):
    request.session[STASH] = {
        "path": request.path,
        "at": timezone.now().isoformat(),
        "data": [[name, values] for name, values in request.POST.lists() if name not in NOT_KEPT],
    }


def take_stashed_post(request):
    """The post stashed for this page, as a QueryDict, once; None when there is none."""
    stash = request.session.get(STASH)
    if not stash or stash.get("path") != request.path:
        return None
    del request.session[STASH]
    age = timezone.now() - datetime.datetime.fromisoformat(stash["at"])
    if age > datetime.timedelta(hours=KEPT_HOURS):
        return None
    data = QueryDict(mutable=True)
    for name, values in stash["data"]:
        data.setlist(name, values)
    return data


class StashPostMiddleware:
    """Keeps a post that arrives without a login, for views that ask for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method == "POST"
            and not request.user.is_authenticated
            and getattr(view_func, "keeps_post_across_login", False)
        ):
            stash_post(request)
        return None
