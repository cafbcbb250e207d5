"""The closed sets of words that plans and judgements use: an action's status, an item's RAG.

Plain `Literal` types and nothing else imported, so that the command line offers them as choices
at start-up without importing the models; `yotplan.plans.models` and `yotplan.rules.rag` take
them from here, so a word added here is a word every part of yotplan knows.
"""

from __future__ import annotations

from typing import Literal

Status = Literal["not-started", "in-progress", "blocked", "done", "dropped"]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]

Rag = Literal["red", "amber", "green", "delivered", "closed", "dropped"]
RAGS: tuple[Rag, ...] = Rag.__args__  # type: ignore[attr-defined]
"""Worst first: the order of summaries and of a recommendation's roll-up."""
