"""Festa console: page config, setup check, language switch, sign-in gate, navigation."""

import streamlit as st

from app.services.auth import AccessDenied
from app.services.health import SetupError
from app.ui import auth as gate
from app.ui import i18n
from app.ui.container import container
from app.ui.i18n import t
from campaigns.access import Permission, allows

st.set_page_config(page_title="Festa", page_icon="🎉", layout="wide")


def show_setup_problem(err: SetupError) -> None:
    st.error(t("setup.problem", problem=i18n.message(f"setup.{err.code}", str(err), **err.params)))


try:
    c = container()
except SetupError as err:
    i18n.language_switch("zh-CN")
    show_setup_problem(err)
    st.stop()

i18n.language_switch(c.settings.language)
actor = gate.gate(c)
if actor is None:
    st.stop()
gate.sign_out_button(c, actor)
if actor.must_change_password:
    gate.must_change_password(c, actor)
    st.stop()
gate.notice()

P = Permission
# (section, file, title key, icon, url path, permission); a page is listed only for roles that may use it
PAGES = [
    ("nav.home", "overview.py", "page.overview", "🏮", "overview", P.VIEW_OVERVIEW),
    ("nav.home", "account.py", "page.account", "👤", "account", None),
    ("nav.plan", "calendar.py", "page.calendar", "📅", "calendar", P.VIEW_OVERVIEW),
    ("nav.plan", "campaigns.py", "page.campaigns", "🎯", "campaigns", P.VIEW_OVERVIEW),
    ("nav.plan", "campaign.py", "page.campaign", "📊", "campaign", P.VIEW_OVERVIEW),
    ("nav.promote", "promotions.py", "page.promotions", "🏷️", "offers", P.VIEW_OVERVIEW),
    ("nav.promote", "group_buy.py", "page.group_buy", "👥", "group-buy", P.VIEW_OVERVIEW),
    ("nav.promote", "presales.py", "page.presales", "⏳", "presales", P.VIEW_OVERVIEW),
    ("nav.promote", "coupons.py", "page.coupons", "🎟️", "coupons", P.VIEW_OVERVIEW),
    ("nav.promote", "estimate.py", "page.estimate", "🧮", "promotion-cost", P.VIEW_OVERVIEW),
    ("nav.publish", "compose.py", "page.compose", "✍️", "compose", P.VIEW_OVERVIEW),
    ("nav.publish", "review.py", "page.review", "✅", "review", P.VIEW_OVERVIEW),
    ("nav.publish", "posts_calendar.py", "page.posts_calendar", "🗓️", "posts", P.VIEW_OVERVIEW),
    ("nav.publish", "posts_csv.py", "page.posts_csv", "📄", "posts-csv", P.VIEW_OVERVIEW),
    ("nav.publish", "publishing_health.py", "page.publishing_health", "📡", "publishing-health", P.VIEW_OVERVIEW),
    ("nav.kol", "kol_roster.py", "page.kol_roster", "🤝", "kol", P.VIEW_OVERVIEW),
    ("nav.kol", "kol_deals.py", "page.kol_deals", "📝", "kol-deals", P.VIEW_OVERVIEW),
    ("nav.kol", "kol_results.py", "page.kol_results", "🏆", "kol-results", P.VIEW_DASHBOARDS),
    ("nav.measure", "results.py", "page.results", "📈", "results", P.VIEW_DASHBOARDS),
    ("nav.measure", "metrics_import.py", "page.metrics_import", "📥", "import", P.VIEW_DASHBOARDS),
    ("nav.admin", "system.py", "page.system", "🩺", "system", P.VIEW_SYSTEM),
    ("nav.admin", "users.py", "page.users", "🧑‍🤝‍🧑", "users", P.MANAGE_USERS),
    ("nav.admin", "channel_accounts.py", "page.channel_accounts", "📣", "channel-accounts", P.MANAGE_CHANNELS),
    ("nav.admin", "credentials.py", "page.credentials", "🔑", "credentials", P.MANAGE_CHANNELS),
    ("nav.admin", "audit_log.py", "page.audit", "📜", "audit", P.VIEW_AUDIT),
    ("nav.admin", "data_protection.py", "page.data_protection", "🛡️", "data-protection", P.MANAGE_SETTINGS),
]
sections: dict[str, list] = {}
for section, file, title, icon, path, permission in PAGES:
    if permission is None or allows(actor.role, permission):
        page = st.Page(f"app/pages/{file}", title=t(title), icon=icon, url_path=path, default=path == "overview")
        sections.setdefault(t(section), []).append(page)

page = st.navigation(sections, expanded=True)  # every page listed, no "View more"
try:
    page.run()
except SetupError as err:
    show_setup_problem(err)
except AccessDenied:
    st.error(t("auth.denied"))
