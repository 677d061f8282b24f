"""The console's container: built once per process, checked before any page runs."""

from __future__ import annotations

import streamlit as st

from app.bootstrap import Container, build_container
from app.config import Settings
from app.services import health


@st.cache_resource(show_spinner=False)
def _ready_container() -> Container:
    # An exception is not cached: a fixed problem is picked up on the next rerun.
    c = build_container(Settings.from_env())
    health.ensure_ready(c)
    return c


def container() -> Container:
    return _ready_container()
