from django.contrib.auth.backends import ModelBackend

from .models import User


class UnitAwareModelBackend(ModelBackend):
    """The usual backend, loading the user's unit and agency with the user.

    Every scoped query reads request.user.unit.path; loading it here saves a query per use.
    """

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("unit", "agency").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
