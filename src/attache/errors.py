"""Coded, actionable errors, in the manner of spaCy's Errors table."""
from __future__ import annotations


class AttacheError(Exception):
    """An error a user can act on: a code, what went wrong, and what to do."""

    def __init__(self, code: str, message: str, fix: str = "") -> None:
        self.code = code
        self.message = message
        self.fix = fix
        super().__init__(str(self))

    def __reduce__(self):  # picklable, so errors raised in worker processes arrive whole
        return (type(self), (self.code, self.message, self.fix))

    def __str__(self) -> str:
        text = f"[{self.code}] {self.message}"
        if self.fix:
            text += f"\n  -> {self.fix}"
        return text
