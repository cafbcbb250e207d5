"""Many services side by side: the queries of the regional report.

- `service_rows`: one row per service (its recommendations by RAG, its overdue actions), in
  region order, then by name;
- `most_overdue_services`: the services with the most overdue actions, each with its worst one;
- `theme_rows`: the themes of the recommendations, and in how many services each is late;
- `indicators_needing_attention`: by exception, the indicators that are not on track (red, then
  amber), each with why; `ServiceRow.indicators` counts every service's indicators by impact RAG.

A recommendation is *late* when it is red: one of its open actions is past its due date.

A recommendation's theme is found by a small rule that a reader can check by hand:

1. its `theme:` tag, when it has one. A tag that is a topic's key or one of its words (`camhs`,
   `governance`, `out-of-court`) joins that topic; any other tag is a theme of its own;
2. else the topic in `TOPICS` that has the most of its words in the recommendation's text (each
   word counted once; whole words, in any case, singular or plural, compared as `search`
   compares text); a tie goes to the topic listed first;
3. else, when no topic's word is in the text, the kind of its source ("Other: inspection").

Everything about a service (its id, name and region) comes from its `PlanSet`. Nothing here
reads the clock or prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Literal

from yotplan.rules.impact import ImpactRag, indicator_status
from yotplan.rules.rag import DEFAULT_SOON_DAYS, RAGS, Rag, recommendation_rag
from yotplan.views.indicators import IndicatorView, attention_reason, indicators_view
from yotplan.views.queries import ActionView, Plans, overdue_actions, plan_sets
from yotplan.views.search import fold

IMPACT_RAGS: tuple[ImpactRag, ...] = ("red", "amber", "green")
NO_REGION = "No region"
"""The region of a service whose service.yaml names none (or that has no service.yaml)."""


@dataclass(frozen=True, slots=True)
class Topic:
    """A youth-justice topic that recommendations are grouped under by the words of their text."""

    key: str
    label: str
    words: tuple[str, ...]
    """Whole words, or phrases of several words, as they are matched (folded, singular)."""


TOPICS: tuple[Topic, ...] = (
    # In this order a tie is settled: the specific topics first, the Board (named in many
    # recommendations about something else) last.
    Topic(
        "health",
        "Health and CAMHS",
        (
            "health",
            "camhs",
            "mental",
            "psychologist",
            "psychological",
            "speech",
            "language",
            "neurodiversity",
            "neurodevelopmental",
            "substance",
            "therapy",
            "therapeutic",
            "trauma",
            "nurse",
            "clinical",
        ),
    ),
    Topic(
        "education",
        "Education, training and employment",
        ("education", "educational", "school", "ete", "employment", "exclusion", "apprenticeship", "college"),
    ),
    Topic(
        "out-of-court",
        "Out-of-court disposals and prevention",
        (
            "out of court",
            "ooc",
            "disposal",
            "diversion",
            "diversionary",
            "prevention",
            "preventative",
            "preventive",
            "turnaround",
            "triage",
            "early help",
        ),
    ),
    Topic(
        "resettlement",
        "Custody, resettlement and transitions",
        ("custody", "custodial", "remand", "resettlement", "release", "transition"),
    ),
    Topic(
        "safety",
        "Safety, risk and safeguarding",
        ("safety", "safeguarding", "risk", "harm", "exploitation", "wellbeing", "contingency"),
    ),
    Topic(
        "diversity",
        "Diversity and disproportionality",
        (
            "diversity",
            "disproportionality",
            "disproportionate",
            "ethnicity",
            "ethnic",
            "racial",
            "racism",
            "discrimination",
            "minority",
            "equality",
            "inclusion",
            "girl",
        ),
    ),
    Topic("voice", "Children's and families' voice", ("voice", "feedback", "participation", "consultation")),
    Topic("victims", "Victims and restorative justice", ("victim", "restorative", "reparation")),
    Topic(
        "quality",
        "Quality assurance and practice",
        ("quality", "assurance", "qa", "audit", "assessment", "assetplus", "oversight"),
    ),
    Topic(
        "data",
        "Data and performance",
        (
            "data",
            "performance",
            "information",
            "insight",
            "analysis",
            "analyst",
            "indicator",
            "reporting",
            "dashboard",
            "metric",
            "intelligence",
        ),
    ),
    Topic(
        "workforce",
        "Workforce, management and resources",
        (
            "staff",
            "staffing",
            "workforce",
            "recruitment",
            "recruit",
            "retention",
            "training",
            "supervision",
            "caseload",
            "capacity",
            "resource",
            "manager",
            "management",
            "leadership",
            "structure",
            "post",
            "role",
            "building",
            "facility",
        ),
    ),
    Topic(
        "board",
        "Management Board and governance",
        (
            "board",
            "governance",
            "partnership",
            "partner",
            "strategic",
            "strategy",
            "priority",
            "vision",
            "scrutiny",
            "accountability",
            "chair",
        ),
    ),
)

ThemeGroup = Literal["topic", "tag", "kind"]


@dataclass(frozen=True, slots=True)
class Theme:
    key: str
    """`topic:KEY`, `tag:FOLDED TAG` or `kind:KIND`: what recommendations are grouped by."""
    label: str
    group: ThemeGroup
    """A topic of `TOPICS` (by a tag or by the words of the text), a tag of no topic, or a source kind."""


@dataclass(frozen=True, slots=True)
class ServiceRow:
    """One service in the regional view."""

    index: int
    """Which of the plan sets given to `service_rows` it is (0 for the first)."""
    service: str
    name: str
    region: str | None
    recommendations: dict[Rag, int]
    """Recommendations per RAG, every RAG present (0 when none)."""
    actions: int
    overdue: tuple[ActionView, ...]
    """Its open actions past their due date, most overdue first."""
    indicators: dict[ImpactRag, int] = field(default_factory=lambda: dict.fromkeys(IMPACT_RAGS, 0))
    """Its indicators by impact RAG (`rules.impact`), every RAG present."""

    @property
    def indicators_total(self) -> int:
        return sum(self.indicators.values())

    @property
    def region_label(self) -> str:
        return self.region or NO_REGION

    @property
    def total(self) -> int:
        return sum(self.recommendations.values())

    @property
    def overdue_count(self) -> int:
        return len(self.overdue)

    @property
    def worst(self) -> ActionView | None:
        """The most overdue action (the lowest id among equals), or None."""
        return self.overdue[0] if self.overdue else None


@dataclass(frozen=True, slots=True)
class RegionTotal:
    """The services of one region, in the order `service_rows` gives them, and their sums."""

    region: str | None
    rows: tuple[ServiceRow, ...]

    @property
    def label(self) -> str:
        return self.region or NO_REGION

    @property
    def recommendations(self) -> dict[Rag, int]:
        return rag_sum(row.recommendations for row in self.rows)

    @property
    def overdue_count(self) -> int:
        return sum(row.overdue_count for row in self.rows)


@dataclass(slots=True)
class ThemeRow:
    """A theme across services: how many recommendations it has, how many are late, and where."""

    theme: Theme
    recommendations: int = 0
    late: int = 0
    services: set[str] = field(default_factory=set)
    """The services with a recommendation in it."""
    late_services: set[str] = field(default_factory=set)
    """The services with a late (red) recommendation in it."""

    @property
    def services_late(self) -> list[str]:
        return sorted(self.late_services, key=lambda s: (s.casefold(), s))


def rag_sum(counts: Iterable[dict[Rag, int]]) -> dict[Rag, int]:
    total = dict.fromkeys(RAGS, 0)
    for one in counts:
        for rag, n in one.items():
            total[rag] += n
    return total


def region_key(region: str | None) -> tuple[bool, str]:
    """How regions are grouped and ordered: alphabetically by their words in any case (`South West`,
    `south-west` and `South  West` are one region), services with no region last."""
    return (region is None, " ".join(words_of(region)) if region else "")


def service_rows(plans: Plans, today: date, soon: int = DEFAULT_SOON_DAYS) -> list[ServiceRow]:
    """One row per service: by region (alphabetical, services with no region last), then by
    name and id, any case. Services with the same id are two rows, as they are two folders."""
    rows = []
    for index, plan_set in enumerate(plan_sets(plans)):
        counts = dict.fromkeys(RAGS, 0)
        impact = dict.fromkeys(IMPACT_RAGS, 0)
        actions = 0
        for ref in plan_set.recommendations():
            counts[recommendation_rag(ref.recommendation, today, soon)] += 1
            actions += len(ref.recommendation.actions)
            for indicator in ref.recommendation.indicators:
                impact[indicator_status(indicator, today).rag] += 1
        rows.append(
            ServiceRow(
                index=index,
                service=plan_set.service,
                name=plan_set.service_name or plan_set.service,
                region=plan_set.region,
                recommendations=counts,
                actions=actions,
                overdue=tuple(overdue_actions(plan_set, today)),
                indicators=impact,
            )
        )
    return sorted(rows, key=lambda r: (region_key(r.region), r.name.casefold(), r.service.casefold()))


def by_region(rows: Sequence[ServiceRow]) -> list[RegionTotal]:
    """The rows (in `service_rows` order) grouped by region (`region_key`), in the same order.
    A region spelt in several ways is named by the first spelling in alphabetical order."""
    groups: dict[tuple[bool, str], list[ServiceRow]] = {}
    for row in rows:
        groups.setdefault(region_key(row.region), []).append(row)
    totals = []
    for key in sorted(groups):
        members = groups[key]
        spellings = [row.region for row in members if row.region is not None]
        totals.append(RegionTotal(min(spellings) if spellings else None, tuple(members)))
    return totals


@dataclass(frozen=True, slots=True)
class IndicatorException:
    """An indicator that is not on track, in the regional report's list of them."""

    view: IndicatorView
    reason: str
    """Why, in plain words (`attention_reason`)."""


def indicators_needing_attention(plans: Plans, today: date) -> list[IndicatorException]:
    """The indicators of every service that are not on track: red first, then amber; then by
    service and id, any case. Those on track are only counted (`ServiceRow.indicators`)."""
    views = indicators_view(plans, today)
    found = [IndicatorException(i, attention_reason(i, today)) for i in views if i.rag != "green"]
    order = {rag: n for n, rag in enumerate(IMPACT_RAGS)}
    return sorted(
        found,
        key=lambda e: (order[e.view.rag], e.view.service.casefold(), e.view.service, e.view.id.casefold(), e.view.id),
    )


def most_overdue_services(rows: Sequence[ServiceRow], limit: int = 10) -> list[ServiceRow]:
    """The services with overdue actions, the most first; then the longest overdue action first,
    then by name. At most `limit`."""
    late = [row for row in rows if row.overdue]
    late.sort(key=lambda r: (-r.overdue_count, -r.overdue[0].days_overdue, r.name.casefold(), r.service.casefold()))
    return late[:limit]


# Themes ------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
    """The words of a text as themes compare them: folded as `search` folds (case, accents,
    quotes; a hyphen separates words), letters and digits only."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=8192)
def _singular(word: str) -> tuple[str, ...]:
    """The forms a text word may be the plural of: boards -> board, processes -> process,
    priorities -> priority."""
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and len(word) > 2:
        forms.append(word[:-1])
    return tuple(forms)


@lru_cache(maxsize=1)
def _topic_words() -> tuple[tuple[Topic, tuple[tuple[str, ...], ...]], ...]:
    return tuple((topic, tuple(tuple(words_of(w)) for w in topic.words)) for topic in TOPICS)


@lru_cache(maxsize=1)
def _word_index() -> tuple[dict[str, tuple[int, ...]], tuple[tuple[int, tuple[str, ...]], ...]]:
    """The topics' one-word entries as word -> the topics (by position) that list it, and the
    entries of several words (`out of court`) with their topic's position."""
    single: dict[str, list[int]] = {}
    phrases: list[tuple[int, tuple[str, ...]]] = []
    for i, (_, entries) in enumerate(_topic_words()):
        for entry in entries:
            if len(entry) == 1:
                single.setdefault(entry[0], []).append(i)
            else:
                phrases.append((i, entry))
    return {word: tuple(found) for word, found in single.items()}, tuple(phrases)


def topic_of_text(text: str) -> Topic | None:
    """The topic with the most of its words (or phrases) in `text`, each counted once; a tie
    goes to the topic listed first in `TOPICS`; None when no topic's word is there."""
    words = words_of(text)
    forms = [_singular(w) for w in words]
    single, phrases = _word_index()
    found: dict[int, set[tuple[str, ...]]] = {}
    for these in forms:
        for form in these:
            for i in single.get(form, ()):
                found.setdefault(i, set()).add((form,))
    for i, phrase in phrases:
        if _has_phrase(phrase, forms):
            found.setdefault(i, set()).add(phrase)
    if not found:
        return None
    best = min(found, key=lambda i: (-len(found[i]), i))
    return TOPICS[best]


def _has_phrase(phrase: tuple[str, ...], forms: list[tuple[str, ...]]) -> bool:
    size = len(phrase)
    return any(all(phrase[j] in forms[i + j] for j in range(size)) for i in range(len(forms) - size + 1))


def topic_of_tag(tag: str) -> Topic | None:
    """The topic a `theme:` tag names: its key, or one of its words (any case, singular or plural)."""
    words = tuple(words_of(tag))
    if not words:
        return None
    for topic, phrases in _topic_words():
        if words == tuple(words_of(topic.key)):
            return topic
        for phrase in phrases:
            if len(phrase) == len(words) and all(p in _singular(w) for p, w in zip(phrase, words, strict=True)):
                return topic
    return None


def theme_of(text: str, tag: str | None, kind: str) -> Theme:
    """The theme of a recommendation from its text, its `theme:` tag and its source's kind
    (see the module's docstring)."""
    if tag and tag.strip():
        topic = topic_of_tag(tag)
        if topic is not None:
            return Theme(f"topic:{topic.key}", topic.label, "topic")
        label = " ".join(tag.split())
        return Theme(f"tag:{' '.join(words_of(label)) or label.casefold()}", label, "tag")
    topic = topic_of_text(text)
    if topic is not None:
        return Theme(f"topic:{topic.key}", topic.label, "topic")
    return Theme(f"kind:{kind}", f"Other: {kind.replace('-', ' ')}", "kind")


def theme_rows(plans: Plans, today: date, soon: int = DEFAULT_SOON_DAYS) -> list[ThemeRow]:
    """Every theme that has a recommendation: the most services late in it first, then the most
    late recommendations, then the most recommendations, then by name.

    Two tags that fold to the same words (`Youth voice`, `youth-voice`) are one theme, shown
    under the first spelling in alphabetical order, so the same plans give the same report
    whatever order the folders are given in."""
    rows: dict[str, ThemeRow] = {}
    for plan_set in plan_sets(plans):
        for ref in plan_set.recommendations():
            rec = ref.recommendation
            theme = theme_of(rec.text, rec.theme, str(ref.doc.model.source.kind))
            row = rows.get(theme.key)
            if row is None:
                row = rows[theme.key] = ThemeRow(theme)
            elif theme.label < row.theme.label:
                row.theme = theme
            row.recommendations += 1
            row.services.add(plan_set.service)
            if recommendation_rag(rec, today, soon) == "red":
                row.late += 1
                row.late_services.add(plan_set.service)
    return sorted(
        rows.values(),
        key=lambda r: (-len(r.late_services), -r.late, -r.recommendations, r.theme.label.casefold(), r.theme.key),
    )
