"""Festa's processes: services, worker, CLI and the Streamlit console."""
