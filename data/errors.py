"""Problems a person can fix, told in one line: what is wrong and what to do."""

from __future__ import annotations


class SetupError(Exception):
    """``what`` and ``todo`` are the English line (CLI, logs); ``code`` and ``params`` let the
    console say the same in the reader's language (catalog key ``setup.<code>``)."""

    def __init__(self, what: str, todo: str, code: str = "", **params: object) -> None:
        super().__init__(f"{what} — {todo}")
        self.what = what
        self.todo = todo
        self.code = code
        self.params = params
