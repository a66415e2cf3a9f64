from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "qinqing.policies"
    label = "policies"
    verbose_name = _("政策超市")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete

        from . import rollups
        from .synonyms import forget

        # The process's copy of the synonym table (synonyms.table_for) is dropped when the table changes.
        post_save.connect(forget, sender="policies.SearchSynonym", dispatch_uid="policies_synonyms_save")
        post_delete.connect(forget, sender="policies.SearchSynonym", dispatch_uid="policies_synonyms_delete")
        post_migrate.connect(forget, dispatch_uid="policies_synonyms_migrate")  # also after a test's flush
        # A deleted policy or enterprise takes its pushes by cascade (no delete() of theirs, no signal): the push
        # rollups lose them in the same transaction, however the delete was asked for (an action, a queryset).
        for sender, key in (("policies.Policy", "policy"), ("registry.Enterprise", "enterprise")):
            pre_delete.connect(rollups.before_delete, sender=sender, dispatch_uid=f"policies_push_rollups_{key}_pre")
            post_delete.connect(rollups.after_delete, sender=sender, dispatch_uid=f"policies_push_rollups_{key}_post")
