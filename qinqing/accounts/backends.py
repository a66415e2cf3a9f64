"""Authentication backend whose permissions come from the user's role."""

from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return user_obj.get_all_permissions()

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj)
