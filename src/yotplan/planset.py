"""A loaded set of plans: the models, where they came from, and a way back to file positions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from yotplan.models import Action, Owner, OwnersFile, PlanFile, Recommendation
from yotplan.problems import Problem, Severity
from yotplan.yamlio import locate

Path_ = tuple[str | int, ...]


@dataclass(slots=True)
class Document:
    """One file as read: its display path, its marked YAML data and its model."""

    path: str
    data: Any
    model: Any

    def problem(self, where: Path_, severity: Severity, code: str, message: str, *, at_key: bool = False) -> Problem:
        line, col = locate(self.data, where, at_key=at_key)
        return Problem(self.path, line, col, severity, code, message)


@dataclass(frozen=True, slots=True)
class RecommendationRef:
    doc: Document
    index: int
    recommendation: Recommendation

    @property
    def where(self) -> Path_:
        return ("recommendations", self.index)

    @property
    def source_id(self) -> str:
        return str(self.doc.model.source.id)


@dataclass(frozen=True, slots=True)
class ActionRef:
    rec: RecommendationRef
    index: int
    action: Action

    @property
    def where(self) -> Path_:
        return (*self.rec.where, "actions", self.index)


@dataclass(slots=True)
class PlanSet:
    """Every plan file of one plans folder, with its owners registry."""

    root: str
    plans: list[Document] = field(default_factory=list)
    owners_doc: Document | None = None

    @property
    def owners(self) -> dict[str, Owner]:
        if self.owners_doc is None:
            return {}
        model: OwnersFile = self.owners_doc.model
        return model.owners

    def recommendations(self) -> Iterator[RecommendationRef]:
        for doc in self.plans:
            plan: PlanFile = doc.model
            for i, rec in enumerate(plan.recommendations):
                yield RecommendationRef(doc, i, rec)

    def actions(self) -> Iterator[ActionRef]:
        for rec in self.recommendations():
            for i, action in enumerate(rec.recommendation.actions):
                yield ActionRef(rec, i, action)

    def actions_of(self, rec: RecommendationRef) -> list[ActionRef]:
        return [ActionRef(rec, i, a) for i, a in enumerate(rec.recommendation.actions)]
