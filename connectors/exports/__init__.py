"""Readers for platform export files: each turns one platform's file into the canonical frame of
``campaigns.facts`` (see ``base``). ``registry`` lists them and recognises a file."""
