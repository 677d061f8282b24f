"""Festa console: page config, setup check, language switch, navigation."""

import streamlit as st

from app.services.health import SetupError
from app.ui import i18n
from app.ui.container import container
from app.ui.i18n import t

st.set_page_config(page_title="Festa", page_icon="🎉", layout="wide")

try:
    settings = container().settings
    problem = None
except SetupError as err:
    settings, problem = None, err

i18n.language_switch(settings.language if settings else "zh-CN")


def show_setup_problem(err: SetupError) -> None:
    st.error(t("setup.problem", problem=i18n.message(f"setup.{err.code}", str(err), **err.params)))


if problem is not None:
    show_setup_problem(problem)
    st.stop()

pages = {
    t("nav.home"): [
        st.Page("app/pages/overview.py", title=t("page.overview"), icon="🏮", url_path="overview", default=True),
    ],
    t("nav.admin"): [
        st.Page("app/pages/system.py", title=t("page.system"), icon="🩺", url_path="system"),
    ],
}
page = st.navigation(pages)
try:
    page.run()
except SetupError as err:
    show_setup_problem(err)
