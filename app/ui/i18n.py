"""Language of the session and the `t()` lookup over the one catalog."""

from __future__ import annotations

import streamlit as st

from app.ui.catalog import CATALOG, LANGUAGE_NAMES

LANGUAGES = tuple(LANGUAGE_NAMES)
MISSING = "⟦{key}⟧"  # what an untranslated key looks like on a page; the browser test looks for it
_STATE_KEY = "festa_lang"


def translate(key: str, lang: str, **values) -> str:
    entry = CATALOG.get(key)
    if entry is None or lang not in entry:
        return MISSING.format(key=key)
    text = entry[lang]
    return text.format(**values) if values else text


def message(key: str, fallback: str, **values) -> str:
    """A service's message in the reader's language; its English text when it has no key."""
    entry = CATALOG.get(key)
    return translate(key, language(), **values) if entry else fallback


def language() -> str:
    return st.session_state.get(_STATE_KEY, LANGUAGES[0])


def t(key: str, **values) -> str:
    return translate(key, language(), **values)


def language_switch(default: str) -> str:
    """The sidebar switch. `?lang=en` in the address picks the language on arrival."""
    if _STATE_KEY not in st.session_state:
        asked = st.query_params.get("lang")
        st.session_state[_STATE_KEY] = asked if asked in LANGUAGES else default
    st.sidebar.radio(
        translate("sidebar.language", st.session_state[_STATE_KEY]),
        LANGUAGES,
        key=_STATE_KEY,
        format_func=LANGUAGE_NAMES.get,
        horizontal=True,
    )
    return language()
