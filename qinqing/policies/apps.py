from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "qinqing.policies"
    label = "policies"
    verbose_name = _("政策超市")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from .synonyms import forget

        # The process's copy of the synonym table (synonyms.table_for) is dropped when the table changes.
        post_save.connect(forget, sender="policies.SearchSynonym", dispatch_uid="policies_synonyms_save")
        post_delete.connect(forget, sender="policies.SearchSynonym", dispatch_uid="policies_synonyms_delete")
        post_migrate.connect(forget, dispatch_uid="policies_synonyms_migrate")  # also after a test's flush
