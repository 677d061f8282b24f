"""The console's container: built once per process, checked before any page runs."""

from __future__ import annotations

import os

import streamlit as st

from app.bootstrap import Container, build_container
from app.config import Settings
from app.services import health


def _env() -> dict[str, str]:
    """Environment first; FESTA_* keys in .streamlit/secrets.toml fill what it leaves unset."""
    env = dict(os.environ)
    try:
        for key, value in st.secrets.items():
            if key.startswith("FESTA_") and key not in env:
                env[key] = str(value)
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        pass
    return env


@st.cache_resource(show_spinner=False)
def _ready_container() -> Container:
    # An exception is not cached: a fixed problem is picked up on the next rerun.
    c = build_container(Settings.from_env(_env()))
    health.ensure_ready(c)
    return c


def container() -> Container:
    return _ready_container()
