"""Has it made a difference? Indicators against their targets, and the stage of a recommendation.

A Board asks two questions and keeps them apart (docs/plan-format.md, "Stages"):

- **Delivery** (`yotplan.rules.rag`): is the work done, and on time?
- **Impact** (here): do the numbers show the change worked, and can the board sign it off?

A recommendation moves through four stages:

- open: an action is still open (or none is planned);
- delivered: every action is done or dropped;
- impact-evidenced: delivered, and every indicator has met its target (a reading at or past the
  target date, at or better than the target); with no indicators, at least one `impact:` entry;
- closed: a board signed it off at a meeting (`closure:`).

An indicator is **on track** when its latest reading is at or better than the straight line from
its baseline to its target, on the reading's date (flat at the target without a baseline, and at
the target after the target date); with no reading it is neither (None). Its impact RAG: green
on track; amber not on track but no worse than the baseline, or no reading yet; red not on track
and worse than the baseline (or, without a baseline, past the target date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from yotplan.plans.models import Indicator, Reading, Recommendation

Stage = Literal["open", "delivered", "impact-evidenced", "closed"]
STAGES: tuple[Stage, ...] = ("open", "delivered", "impact-evidenced", "closed")

STAGE_KEY: dict[Stage, str] = {
    "open": "an action is still open",
    "delivered": "every action is done or dropped",
    "impact-evidenced": "delivered, and every indicator met its target (or, with none, impact evidence recorded)",
    "closed": "signed off by a board at a meeting",
}

ImpactRag = Literal["red", "amber", "green"]


def at_least_as_good(value: float, than: float, better: str) -> bool:
    """Whether `value` is at or better than `than`, for an indicator where `better` is higher or lower."""
    return value >= than if better == "higher" else value <= than


def expected_value(indicator: Indicator, day: date) -> float:
    """Where the straight line from baseline to target is on `day` (the target value after the
    target date, and all along without a baseline)."""
    target, baseline = indicator.target, indicator.baseline
    if baseline is None or day >= target.date or target.date <= baseline.date:
        return float(target.value)
    if day <= baseline.date:
        return float(baseline.value)
    share = (day - baseline.date).days / (target.date - baseline.date).days
    return baseline.value + share * (target.value - baseline.value)


@dataclass(frozen=True, slots=True)
class IndicatorStatus:
    """An indicator judged on a day."""

    latest: Reading | None
    previous: Reading | None
    on_track: bool | None
    """None with no reading (on or before the day)."""
    met: bool
    """A reading at or past the target date is at or better than the target."""
    rag: ImpactRag
    worse_than_baseline: bool

    @property
    def change(self) -> float | None:
        """The latest reading minus the one before it."""
        if self.latest is None or self.previous is None:
            return None
        return self.latest.value - self.previous.value


def indicator_status(indicator: Indicator, today: date) -> IndicatorStatus:
    readings = sorted((r for r in indicator.readings if r.date <= today), key=lambda r: r.date)
    latest = readings[-1] if readings else None
    previous = readings[-2] if len(readings) > 1 else None
    better = indicator.better
    baseline = indicator.baseline
    if latest is None:
        return IndicatorStatus(None, None, None, False, "amber", False)
    on_track = at_least_as_good(latest.value, expected_value(indicator, latest.date), better)
    met = latest.date >= indicator.target.date and at_least_as_good(latest.value, indicator.target.value, better)
    worse = baseline is not None and not at_least_as_good(latest.value, baseline.value, better)
    if on_track:
        rag: ImpactRag = "green"
    elif worse or (baseline is None and today > indicator.target.date):
        rag = "red"
    else:
        rag = "amber"
    return IndicatorStatus(latest, previous, on_track, met, rag, worse)


def is_delivered(rec: Recommendation) -> bool:
    return bool(rec.actions) and all(not a.is_open for a in rec.actions)


def impact_shown(rec: Recommendation, today: date) -> bool:
    """Every indicator met its target; or, with no indicators, impact evidence is recorded."""
    if rec.indicators:
        return all(indicator_status(i, today).met for i in rec.indicators)
    return bool(rec.impact)


def recommendation_stage(rec: Recommendation, today: date) -> Stage:
    if rec.closure is not None and rec.closure.date <= today:
        return "closed"
    if not is_delivered(rec):
        return "open"
    return "impact-evidenced" if impact_shown(rec, today) else "delivered"


def evidence_lacking(rec: Recommendation, today: date) -> list[str]:
    """What a delivered recommendation still lacks before a board can sign it off on its
    evidence: one short sentence each (empty once impact is shown)."""
    if not rec.indicators:
        return [] if rec.impact else ["no impact evidence: add an `impact:` entry, or an indicator with readings"]
    lacking = []
    for indicator in rec.indicators:
        status = indicator_status(indicator, today)
        target = f"{with_unit(indicator.target.value, indicator.unit)} by {indicator.target.date}"
        if status.latest is None:
            lacking.append(f"{indicator.name}: no reading yet (target {target})")
        elif not status.met:
            latest = f"{with_unit(status.latest.value, indicator.unit)} on {status.latest.date}"
            lacking.append(f"{indicator.name}: {latest}, target {target}")
    return lacking


def with_unit(value: float, unit: str) -> str:
    """A value as a Board reads it: `75%`, `4 meetings`, `12.5 days`."""
    return f"{value:g}{unit}" if unit == "%" else f"{value:g} {unit}".rstrip()
