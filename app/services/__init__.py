"""Use cases, one module per area. No streamlit here; pages call these."""
