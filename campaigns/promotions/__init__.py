"""Promotions: money, and (as the Promote capability lands) offers and quotes."""
