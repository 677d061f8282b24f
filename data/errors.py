"""Problems a person can fix, told in one line: what is wrong and what to do."""

from __future__ import annotations


class SetupError(Exception):
    def __init__(self, what: str, todo: str) -> None:
        super().__init__(f"{what} — {todo}")
        self.what = what
        self.todo = todo
