"""Authentication backend whose permissions come from the user's role."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    def get_user(self, user_id):
        """The signed-in user of a session, with the organisation every page reads (scope, menu, header) in
        the same query instead of a second one."""
        model = get_user_model()
        try:
            user = model._default_manager.select_related("org").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return user_obj.get_all_permissions()

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj)
