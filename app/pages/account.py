"""My account: who I am, and changing my password."""

import streamlit as st

from app.ui.auth import current_actor, password_form
from app.ui.container import container
from app.ui.i18n import t

actor = current_actor()
st.title(t("page.account"))
st.write(t("account.who", name=actor.name, email=actor.email, role=t(f"role.{actor.role}")))
st.subheader(t("account.change_password"))
st.caption(t("password.policy"))
password_form(container(), actor)
