from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _


@receiver(user_logged_in)
def _tell_moved_user(sender, request, user, **kwargs):
    """A reorganisation moved the user to their unit's successor: told once, at the next login."""
    if user.moved_from_id is None or not hasattr(request, "_messages"):
        return  # nothing to tell, or no page to tell it on (a test's force_login)
    old = user.moved_from
    messages.info(
        request,
        _("%(old)s ended on %(day)s. You now work in %(new)s and see its records and %(old)s's.")
        % {
            "old": old.full_name,
            "day": f"{old.ended_on:%d/%m/%Y}" if old.ended_on else "",
            "new": user.unit.full_name if user.unit_id else "",
        },
    )
    type(user).objects.filter(pk=user.pk).update(moved_from=None)
    user.moved_from = None
