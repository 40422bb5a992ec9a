"""Who may open a view. Every view of the app declares it, and a test walks the URL patterns.

    @allow(Role.BOARD_STAFF, Role.LEADER)
    def plan_list(request): ...

A user whose role is not listed gets 403. Leaders read: any POST, PUT, PATCH or DELETE they
send is refused here, once for all views, unless the view's POST changes no shared record
(`readers_may_post=True`: their own password, logout, their calendar address, asking for a
report). Objects outside the user's scope are not found
(404): views load them through `Model.objects.visible_to(request.user)`.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Role

EVERY_ROLE = tuple(Role)
READ_ONLY_ROLES = frozenset({Role.LEADER})
READING_ROLES = (Role.BOARD_STAFF, Role.COMMUNE_OFFICER, Role.LEADER, Role.ADMINISTRATOR)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def allow(*roles, readers_may_post=False):
    """Let signed-in users with one of these roles in; refuse everyone else with 403."""
    if not roles:
        raise ValueError("allow() needs at least one role")
    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                # LoginRequiredMiddleware sends anonymous visitors to the login page first.
                raise PermissionDenied
            role = Role.ADMINISTRATOR if user.is_superuser else user.role
            if role not in allowed:
                raise PermissionDenied
            if (
                role in READ_ONLY_ROLES
                and request.method not in SAFE_METHODS
                and not readers_may_post
            ):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed
        wrapped.readers_may_post = readers_may_post
        return wrapped

    return decorator


def allowed_roles(view) -> frozenset | None:
    """The roles a view declared with @allow, or None if it declared nothing."""
    return getattr(view, "allowed_roles", None)
