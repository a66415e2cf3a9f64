"""Who may see the operations pages: the system administrator (backups are the system's, not business data)."""

from qinqing.core.roles import Role

VIEW_BACKUPS = "operations.view_backups"

GRANTS = {Role.SYS_ADMIN: {VIEW_BACKUPS}}
