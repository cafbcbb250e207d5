"""Indicators: the numbers that show whether a recommendation made a difference, judged on a day.

One row per indicator: its baseline, target and latest reading, its change since the baseline
(`change`) and since the reading before (`change_since_previous`), whether it is on track
(`yotplan.rules.impact`) and its impact RAG; and the recommendations that are delivered but not
signed off, with what each still lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from yotplan.plans.models import Indicator, Measurement, Reading
from yotplan.rules.impact import (
    ImpactRag,
    at_least_as_good,
    evidence_lacking,
    indicator_status,
    recommendation_stage,
    with_unit,
)
from yotplan.views.queries import Filters, Plans, plan_sets


@dataclass(frozen=True, slots=True)
class IndicatorView:
    id: str
    recommendation: str
    source: str
    service: str
    name: str
    unit: str
    better: str
    baseline: Measurement | None
    target: Measurement
    latest: Reading | None
    change: float | None
    """The latest reading minus the baseline: how far it has come."""
    change_since_previous: float | None
    """The latest reading minus the one before it: which way it moved last."""
    on_track: bool | None
    rag: ImpactRag
    readings: tuple[Reading, ...]
    indicator: Indicator

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "recommendation": self.recommendation,
            "name": self.name,
            "unit": self.unit,
            "better": self.better,
            "baseline": _point(self.baseline),
            "target": _point(self.target),
            "latest": _point(self.latest),
            "change": self.change,
            "change_since_previous": self.change_since_previous,
            "on_track": self.on_track,
            "rag": self.rag,
            "source": self.source,
            "service": self.service,
        }


def _point(point: Measurement | Reading | None) -> dict[str, Any] | None:
    return {"date": point.date.isoformat(), "value": point.value} if point is not None else None


def describe_indicator(i: IndicatorView) -> str:
    """An indicator in one sentence: where it started, where it is going, where it is."""
    parts = [f"{i.name}:"]
    if i.baseline is not None:
        parts.append(f"baseline {with_unit(i.baseline.value, i.unit)} on {i.baseline.date.isoformat()},")
    parts.append(f"target {with_unit(i.target.value, i.unit)} by {i.target.date.isoformat()};")
    if i.latest is None:
        parts.append("no reading yet")
    else:
        judged = "on track" if i.on_track else "not on track"
        moved = describe_change(i)
        moved = f" ({moved})" if moved else ""
        parts.append(f"latest {with_unit(i.latest.value, i.unit)} on {i.latest.date.isoformat()}{moved}, {judged}")
    return " ".join(parts)


def describe_change(i: IndicatorView) -> str:
    """`+5 since the baseline, -3 since the reading before`: the parts there are, or ''."""
    parts = []
    if i.change is not None:
        parts.append(f"{i.change:+g} since the baseline")
    if i.change_since_previous is not None:
        parts.append(f"{i.change_since_previous:+g} since the reading before")
    return ", ".join(parts)


def indicators_view(plans: Plans, today: date, filters: Filters = Filters()) -> list[IndicatorView]:
    """Every indicator of the recommendations `filters` keep (by source and the recommendation's
    owner), in plan order."""
    views = []
    for plan_set in plan_sets(plans):
        for ref in plan_set.recommendations():
            rec = ref.recommendation
            if not filters.matches_source(ref) or not filters.matches_owner(rec.owner):
                continue
            for indicator in rec.indicators:
                status = indicator_status(indicator, today)
                readings = sorted((r for r in indicator.readings if r.date <= today), key=lambda r: r.date)
                views.append(
                    IndicatorView(
                        id=indicator.id,
                        recommendation=rec.id,
                        source=ref.source_id,
                        service=plan_set.service,
                        name=indicator.name,
                        unit=indicator.unit,
                        better=indicator.better,
                        baseline=indicator.baseline,
                        target=indicator.target,
                        latest=status.latest,
                        change=status.change,
                        change_since_previous=status.change_since_previous,
                        on_track=status.on_track,
                        rag=status.rag,
                        readings=tuple(readings),
                        indicator=indicator,
                    )
                )
    return views


def attention_reason(i: IndicatorView, today: date) -> str:
    """Why an indicator that is not on track needs a Board's attention, in plain words ('' when on track)."""
    if i.rag == "green":
        return ""
    if i.latest is None:
        return "no reading, and its target date has passed" if today > i.target.date else "no reading yet"
    if i.baseline is not None and not at_least_as_good(i.latest.value, i.baseline.value, i.better):
        return "worse than its baseline"
    if today > i.target.date:
        return "its target date has passed, target not met"
    return "behind the line from its baseline to its target"


def find_indicator(plans: Plans, today: date, indicator_id: str) -> IndicatorView | None:
    """The indicator with id `indicator_id` (any case; `SERVICE:ID` across services), or None."""
    service, _, bare = indicator_id.strip().rpartition(":")
    wanted = bare.casefold()
    for view in indicators_view(plans, today):
        if view.id.casefold() == wanted and (not service or view.service.casefold() == service.casefold()):
            return view
    return None


@dataclass(frozen=True, slots=True)
class AwaitingSignOff:
    """A delivered recommendation not yet signed off, and what it still lacks for a sign-off on
    its evidence (nothing, once its impact is shown)."""

    id: str
    text: str
    owner: str
    stage: str
    lacking: tuple[str, ...]
    service: str = ""


def awaiting_sign_off(plans: Plans, today: date, filters: Filters = Filters()) -> list[AwaitingSignOff]:
    """Recommendations that are delivered or impact-evidenced, not closed, in plan order."""
    found = []
    for plan_set in plan_sets(plans):
        for ref in plan_set.recommendations():
            rec = ref.recommendation
            if not filters.matches_source(ref) or not filters.matches_owner(rec.owner):
                continue
            stage = recommendation_stage(rec, today)
            if stage in ("delivered", "impact-evidenced"):
                lacking = tuple(evidence_lacking(rec, today))
                found.append(AwaitingSignOff(rec.id, rec.text, rec.owner or "", stage, lacking, plan_set.service))
    return found
