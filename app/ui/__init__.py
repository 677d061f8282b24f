"""Streamlit helpers: the cached container, i18n, formatting, figure builders."""
