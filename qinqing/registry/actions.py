"""Every write to the registry's domain data: atomic, checked, audited.

The actions live with their aggregate (``enterprises.actions``, ``members.actions``, ``chambers.actions``,
``importing.actions``; shared checks in ``common``); this module names them in one place, as before the split,
so ``from qinqing.registry import actions`` keeps working for every caller."""

from .common import (  # noqa: F401
    PII_FIELDS,
    decimal_or_none,
    record_export,
    record_pii_access,
    reveal_pii,
    save_changes,
)
from .enterprises.actions import (  # noqa: F401
    CONTACT_FIELDS,
    ENTERPRISE_EDIT_FIELDS,
    FIGURE_FIELDS,
    MATCHING_FIELDS,
    SELF_SERVICE_FIELDS,
    SIZE_FIGURES,
    add_contact,
    create_enterprise,
    latest_figures,
    recompute_size_classes,
    record_year_figures,
    rematch_after_commit,
    remove_contact,
    remove_year_figures,
    size_figures,
    size_of,
    update_contact,
    update_enterprise,
)
from .importing.actions import (  # noqa: F401
    refuse_import,
    start_import,
)
from .members.actions import (  # noqa: F401
    MEMBER_FIELDS,
    add_member,
    update_member,
)
