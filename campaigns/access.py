"""Who may do what: roles, permissions and the matrix between them.

Services check these; hiding a page is never the only guard.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # users, channel accounts, secrets, settings, audit
    MANAGER = "manager"  # approves posts and budgets, sees every dashboard
    MARKETER = "marketer"  # campaigns, promotions, KOL deals
    CONTENT = "content"  # composes and schedules posts; cannot approve
    ANALYST = "analyst"  # imports and reads metrics, changes nothing else


class Permission(StrEnum):
    VIEW_OVERVIEW = "view_overview"
    VIEW_DASHBOARDS = "view_dashboards"
    VIEW_SYSTEM = "view_system"
    MANAGE_USERS = "manage_users"
    MANAGE_CHANNELS = "manage_channels"  # channel accounts and their credentials
    MANAGE_SETTINGS = "manage_settings"  # retention, data protection
    VIEW_AUDIT = "view_audit"
    EXPORT_AUDIT = "export_audit"
    ERASE_CUSTOMER = "erase_customer"
    EDIT_CAMPAIGNS = "edit_campaigns"
    APPROVE_BUDGETS = "approve_budgets"
    EDIT_PROMOTIONS = "edit_promotions"
    ISSUE_COUPONS = "issue_coupons"
    EDIT_KOL_DEALS = "edit_kol_deals"
    COMPOSE_POSTS = "compose_posts"
    APPROVE_POSTS = "approve_posts"
    IMPORT_METRICS = "import_metrics"


P = Permission
_EVERYONE = {P.VIEW_OVERVIEW}

MATRIX: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        _EVERYONE
        | {
            P.VIEW_SYSTEM,
            P.MANAGE_USERS,
            P.MANAGE_CHANNELS,
            P.MANAGE_SETTINGS,
            P.VIEW_AUDIT,
            P.EXPORT_AUDIT,
            P.ERASE_CUSTOMER,
            P.VIEW_DASHBOARDS,
        }
    ),
    Role.MANAGER: frozenset(_EVERYONE | {P.VIEW_DASHBOARDS, P.VIEW_SYSTEM, P.APPROVE_POSTS, P.APPROVE_BUDGETS}),
    Role.MARKETER: frozenset(
        _EVERYONE | {P.VIEW_DASHBOARDS, P.EDIT_CAMPAIGNS, P.EDIT_PROMOTIONS, P.ISSUE_COUPONS, P.EDIT_KOL_DEALS}
    ),
    Role.CONTENT: frozenset(_EVERYONE | {P.COMPOSE_POSTS}),
    Role.ANALYST: frozenset(_EVERYONE | {P.VIEW_DASHBOARDS, P.IMPORT_METRICS}),
}


def allows(role: Role | str, permission: Permission) -> bool:
    try:
        return permission in MATRIX[Role(role)]
    except ValueError:  # an unknown role may do nothing
        return False


def may_approve(role: Role | str, approver_id: int, author_id: int) -> bool:
    """Four eyes: approving needs the permission, and nobody approves their own work."""
    return allows(role, P.APPROVE_POSTS) and approver_id != author_id
