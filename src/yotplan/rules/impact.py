"""Has it made a difference? Indicators against their targets, and the stage of a recommendation.

A Board asks two questions and keeps them apart (docs/plan-format.md, "Stages"):

- **Delivery** (`yotplan.rules.rag`): is the work done, and on time?
- **Impact** (here): do the numbers show the change worked, and can the board sign it off?

A recommendation moves through four stages:

- open: an action is still open (or none is planned);
- delivered: every action is done or dropped;
- impact-evidenced: delivered, and every indicator has met its target (a reading at or better
  than the target, whatever its date: a Board signs off what it has seen); with no indicators, at
  least one piece of impact evidence (`yotplan add impact`);
- closed: a board signed it off at a meeting (`closure:`).

An indicator is **on track** when its latest reading is at or better than the straight line from
its baseline to its target, on the reading's date (flat at the target without a baseline, and at
the target after the target date); with no reading it is neither (None). Its impact RAG: green
on track; amber not on track but no worse than the baseline, or no reading yet; red not on track
and worse than the baseline (or, without a baseline, past the target date), or no reading at all
once the target date has passed.

Two changes are kept apart, because a Board misreads one for the other: `change` is the latest
reading minus the baseline (how far it has come), `change_since_previous` the latest minus the
reading before it (which way it moved last).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from yotplan.plans.models import Indicator, Measurement, Reading, Recommendation

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
    """Some reading (on or before the day, whatever its date) is at or better than the target."""
    rag: ImpactRag
    worse_than_baseline: bool
    baseline: Measurement | None = None

    @property
    def change(self) -> float | None:
        """The latest reading minus the baseline: how far it has come (None without either)."""
        if self.latest is None or self.baseline is None:
            return None
        return _difference(self.latest.value, self.baseline.value)

    @property
    def change_since_previous(self) -> float | None:
        """The latest reading minus the one before it: which way it moved last."""
        if self.latest is None or self.previous is None:
            return None
        return _difference(self.latest.value, self.previous.value)


def _difference(a: float, b: float) -> float:
    """`a - b` without float noise (92.1 - 90 is 2.1, not 2.0999999999999943)."""
    return round(a - b, 10)


def indicator_status(indicator: Indicator, today: date) -> IndicatorStatus:
    readings = sorted((r for r in indicator.readings if r.date <= today), key=lambda r: r.date)
    latest = readings[-1] if readings else None
    previous = readings[-2] if len(readings) > 1 else None
    better = indicator.better
    baseline = indicator.baseline
    if latest is None:
        overdue = today > indicator.target.date
        return IndicatorStatus(None, None, None, False, "red" if overdue else "amber", False, baseline)
    on_track = at_least_as_good(latest.value, expected_value(indicator, latest.date), better)
    met = any(at_least_as_good(r.value, indicator.target.value, better) for r in readings)
    worse = baseline is not None and not at_least_as_good(latest.value, baseline.value, better)
    if on_track:
        rag: ImpactRag = "green"
    elif worse or (baseline is None and today > indicator.target.date):
        rag = "red"
    else:
        rag = "amber"
    return IndicatorStatus(latest, previous, on_track, met, rag, worse, baseline)


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
    evidence, in plain words a Board paper can print: one short sentence each, naming the
    indicator and its best reading (empty once impact is shown)."""
    if not rec.indicators:
        return [] if rec.impact else ["no evidence yet that it made a difference: no indicator, and no impact recorded"]
    lacking = []
    for indicator in rec.indicators:
        status = indicator_status(indicator, today)
        target = f"{with_unit(indicator.target.value, indicator.unit)} by {indicator.target.date}"
        readings = [r for r in indicator.readings if r.date <= today]
        if not readings:
            lacking.append(f"{indicator.name} ({indicator.id}): no reading yet, target {target}")
        elif not status.met:
            best = best_reading(indicator, readings)
            lacking.append(
                f"{indicator.name} ({indicator.id}): no reading has reached the target {target}; "
                f"the best is {with_unit(best.value, indicator.unit)} on {best.date}"
            )
    return lacking


def best_reading(indicator: Indicator, readings: list[Reading]) -> Reading:
    """The best of `readings` (not empty) for the way `indicator` is better; the latest of equals."""
    sign = 1 if indicator.better == "higher" else -1
    return max(readings, key=lambda r: (sign * r.value, r.date))


def open_actions(rec: Recommendation) -> list[str]:
    """The open actions of a recommendation, each as `ID (status)`."""
    return [f"{a.id} ({a.status})" for a in rec.actions if a.is_open]


def with_unit(value: float, unit: str) -> str:
    """A value as a Board reads it: `75%`, `4 meetings`, `12.5 days`."""
    return f"{value:g}{unit}" if unit == "%" else f"{value:g} {unit}".rstrip()
