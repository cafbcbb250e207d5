"""The Board report: one context built from the views, rendered as HTML or Markdown by Jinja2.

The report is read in a meeting. Its first part (the summary, the chart, the counts and the
ten most overdue actions) fits on two printed A4 pages; the detail follows from a new page,
its long lists grouped under a heading per recommendation. `--source` and `--owner` narrow
it as they narrow `status`, and the report says which filter it shows.

Plan text is user input. The HTML template is autoescaped (Jinja2's `select_autoescape`
for `.html.j2`), so `<script>` in an action title is shown as text; the Markdown template
passes every value through `markdown_paragraph`/`markdown_table_cell`, which neutralise HTML and
Markdown syntax, and a `finalize` hook makes control characters visible in every value printed.
The only raw HTML inserted is the chart, which `charts` escapes itself.
Nothing here reads the clock: the report is a pure function of the plans and `today`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from yotplan.plans.models import Closure, PlanFile, Update
from yotplan.plans.planset import Document, PlanSet
from yotplan.render.changes import short_title
from yotplan.render.columns import measurement
from yotplan.render.data import markdown_cell, markdown_text, plural
from yotplan.report.charts import indicator_chart, rag_bar_figure
from yotplan.rules.impact import with_unit
from yotplan.rules.rag import DEFAULT_SOON_DAYS, RAG_KEY, RAGS, Rag
from yotplan.safe_text import visible
from yotplan.views.indicators import (
    AwaitingSignOff,
    IndicatorView,
    awaiting_sign_off,
    describe_change,
    describe_indicator,
    indicators_view,
)
from yotplan.views.queries import (
    ActionView,
    Filters,
    OwnerView,
    RecommendationView,
    overdue_actions,
    owner_workload,
    recommendation_view,
    upcoming_actions,
)

if TYPE_CHECKING:
    from jinja2 import Environment

    from yotplan.history.compare import Change
    from yotplan.history.meetings import MeetingHistory
    from yotplan.history.revisions import Comparison

ReportFormat = Literal["html", "markdown"]
TEMPLATES: dict[ReportFormat, str] = {"html": "report.html.j2", "markdown": "report.md.j2"}
DUE_SOON_DAYS = 30
"""The 'due soon' list looks this far ahead, the same window as the owners' workload."""
MOST_OVERDUE = 10
"""Overdue actions in the first part, the part a Board reads in the meeting; the detail has them all."""
CHANGE_TITLE_WIDTH = 60
"""Characters of an item's title next to its id in the 'changes since' table."""
CHART_TITLE = "Recommendations by RAG status for each source"

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, slots=True)
class SourceSummary:
    id: str
    title: str
    kind: str
    date: date | None
    recommendations: dict[Rag, int]
    actions: dict[Rag, int]

    @property
    def recommendation_total(self) -> int:
        return sum(self.recommendations.values())

    @property
    def action_total(self) -> int:
        return sum(self.actions.values())


@dataclass(frozen=True, slots=True)
class ReportAction:
    view: ActionView
    measure: str | None
    latest_update: Update | None
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportRecommendation:
    view: RecommendationView
    actions: tuple[ReportAction, ...]
    """The actions the report shows: all of them, or with --owner only that owner's."""
    impact: tuple[str, ...] = ()
    closure: Closure | None = None

    @property
    def hidden(self) -> int:
        """Actions left out by --owner; the recommendation's RAG and 'done' count still judge them."""
        return len(self.view.actions) - len(self.actions)


@dataclass(frozen=True, slots=True)
class ActionGroup:
    """The actions of one recommendation, in a list grouped by recommendation."""

    id: str
    text: str
    actions: tuple[ActionView, ...]


@dataclass(frozen=True, slots=True)
class Showing:
    """The filter the report is narrowed to, as source ids and owner keys; empty shows everything."""

    sources: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.sources or self.owners)

    def __str__(self) -> str:
        """ "source HMIP; owner yot-manager", "sources HMIP, LGA", or "" when nothing is left out."""
        parts = []
        for name, values in (("source", self.sources), ("owner", self.owners)):
            if values:
                parts.append(f"{name}{'s' if len(values) > 1 else ''} {', '.join(values)}")
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the report shows, in the order it shows it."""

    today: date
    sources: list[SourceSummary]
    overdue: list[ActionView]
    due_soon: list[ActionView]
    due_soon_days: int
    recommendations: dict[str, list[ReportRecommendation]]
    """Per source id, in file order."""
    owners: list[OwnerView]
    owner_labels: dict[str, tuple[str, str]]
    """Owner key -> (role, agency); unknown keys are missing."""
    soon_days: int = DEFAULT_SOON_DAYS
    """Not-started actions due within this many days are amber."""
    changes: Comparison | None = None
    showing: Showing = Showing()
    recommendation_texts: dict[str, str] = field(default_factory=dict)
    """Recommendation id -> text, for the headings of the lists grouped by recommendation."""
    indicators: list[IndicatorView] = field(default_factory=list)
    awaiting: list[AwaitingSignOff] = field(default_factory=list)
    """Delivered recommendations not signed off yet, and what each still lacks."""
    conclusions: list[tuple[str, str, str]] = field(default_factory=list)
    """(source id, title, the report's own verdict) for the sources that record one."""
    meeting: MeetingHistory | None = None
    """With --meeting: the meeting reported for, and the plans at the board's meetings before it."""
    service_name: str = ""
    """The service's name (service.yaml), which heads the report; "" when it has none."""
    meeting_part_only: bool = False
    """Only the part for the meeting (`--pages meeting`), for a Board pack: no detail."""

    @property
    def footer(self) -> str:
        """What every printed page says at its foot, beside its number: the service and the as-at date."""
        return f"{self.service_name or 'Improvement action plan'} · as at {long_date(self.today)}"

    @property
    def title(self) -> str:
        """`Torbay Youth Justice Service: improvement action plan, Board report`."""
        plan = "improvement action plan, Board report"
        return f"{self.service_name}: {plan}" if self.service_name else plan[:1].upper() + plan[1:]

    @property
    def indicators_in_full(self) -> list[IndicatorView]:
        """Indicators off track (amber or red, with a reading): shown in full, with their chart.
        Boards read their indicators by exception."""
        return [i for i in self.indicators if i.rag != "green" and i.latest is not None]

    @property
    def indicators_in_brief(self) -> list[IndicatorView]:
        """Indicators on track, or with no reading yet (a chart would show only the plan): one line each."""
        return [i for i in self.indicators if i.rag == "green" or i.latest is None]

    @property
    def assumed_statuses(self) -> tuple[int, int]:
        """(statuses assumed, statuses shown): how much of the picture the source is silent on."""
        actions = [a.view for recs in self.recommendations.values() for r in recs for a in r.actions]
        return sum(a.basis == "assumed" for a in actions), len(actions)

    @property
    def rags(self) -> tuple[Rag, ...]:
        return RAGS

    @property
    def rag_key(self) -> list[tuple[str, str]]:
        """How each RAG is reached, for the key under the summary."""
        return rag_key(self.soon_days)

    @property
    def recommendation_totals(self) -> dict[Rag, int]:
        return {rag: sum(s.recommendations[rag] for s in self.sources) for rag in RAGS}

    @property
    def action_totals(self) -> dict[Rag, int]:
        return {rag: sum(s.actions[rag] for s in self.sources) for rag in RAGS}

    @property
    def most_overdue(self) -> list[ActionView]:
        """The first part's list: the most overdue actions, most overdue first."""
        return self.overdue[:MOST_OVERDUE]

    @property
    def more_overdue(self) -> int:
        """Overdue actions beyond `most_overdue`: only the detail lists them."""
        return len(self.overdue) - len(self.most_overdue)

    @property
    def overdue_groups(self) -> list[ActionGroup]:
        return group_by_recommendation(self.overdue, self.recommendation_texts)

    @property
    def due_soon_groups(self) -> list[ActionGroup]:
        return group_by_recommendation(self.due_soon, self.recommendation_texts)

    @property
    def slipped(self) -> int:
        """Due dates moved later since the base revision of `changes`."""
        return sum(c.slipped for c in self.changes.changes) if self.changes else 0


def build_report(
    plans: PlanSet,
    today: date,
    *,
    soon: int = DEFAULT_SOON_DAYS,
    within: int = DUE_SOON_DAYS,
    changes: Comparison | None = None,
    filters: Filters = Filters(),
    meeting: MeetingHistory | None = None,
) -> Report:
    """The report of `plans` as on `today`; `changes` (from `history.compare_revisions`) adds the
    'changes since' section; `meeting` (from `history.meetings.meeting_history`) the trend over
    the board's meetings.

    `filters` narrows the report as it narrows `status`, `overdue` and `upcoming`: `sources`
    keeps those plan files; `owners` keeps the actions those owners hold and the
    recommendations they own or hold an action in (a recommendation's RAG is still judged on
    all its actions). The counts, lists, owners' workload and changes count only what is shown.
    """
    everything = plans
    shown_sources = [doc for doc in plans.plans if _matches_source(doc, filters)]
    showing = Showing(
        tuple(doc.model.source.id for doc in shown_sources) if filters.sources else (),
        tuple(dict.fromkeys(filters.owners)),
    )
    if filters.sources:
        plans = PlanSet(plans.root, shown_sources, plans.owners_doc)
    sources: list[SourceSummary] = []
    recommendations: dict[str, list[ReportRecommendation]] = {}
    for doc in plans.plans:
        plan: PlanFile = doc.model
        summary = SourceSummary(
            plan.source.id, plan.source.title, plan.source.kind, plan.source.date, dict.fromkeys(RAGS, 0), {}
        )
        summary.actions.update(dict.fromkeys(RAGS, 0))
        sources.append(summary)
        recommendations.setdefault(plan.source.id, [])
    by_id = {s.id: s for s in sources}
    texts: dict[str, str] = {}
    for ref in plans.recommendations():
        texts.setdefault(ref.recommendation.id, ref.recommendation.text)
        view = recommendation_view(plans, ref, today, soon)
        actions = []
        for action_ref, action_view in zip(plans.actions_of(ref), view.actions, strict=True):
            action = action_ref.action
            if not filters.matches_owner(action.owner):
                continue
            actions.append(ReportAction(action_view, action.measure, action.latest_update, tuple(action.evidence)))
        if filters.owners and not (actions or filters.matches_owner(view.owner)):
            continue
        summary = by_id[ref.source_id]
        summary.recommendations[view.rag] += 1
        for shown in actions:
            summary.actions[shown.view.rag] += 1
        rec = ref.recommendation
        recommendations[ref.source_id].append(
            ReportRecommendation(view, tuple(actions), tuple(rec.impact), rec.closure)
        )
    if changes is not None and showing:
        changes = _narrow_changes(changes, recommendations, everything, filters)
    return Report(
        today=today,
        sources=sources,
        overdue=overdue_actions(plans, today, filters),
        due_soon=upcoming_actions(plans, today, within, filters),
        due_soon_days=within,
        recommendations=recommendations,
        owners=_workload(owner_workload(plans, today, within), filters),
        owner_labels={key: (owner.role, owner.agency) for key, owner in plans.owners.items()},
        soon_days=soon,
        changes=changes,
        showing=showing,
        recommendation_texts=texts,
        indicators=indicators_view(plans, today, filters),
        awaiting=awaiting_sign_off(plans, today, filters),
        conclusions=[
            (doc.model.source.id, doc.model.source.title, doc.model.source.conclusion)
            for doc in plans.plans
            if doc.model.source.conclusion
        ],
        meeting=meeting,
        service_name=plans.service_name,
    )


def _matches_source(doc: Document, filters: Filters) -> bool:
    return not filters.sources or doc.model.source.id.casefold() in {s.casefold() for s in filters.sources}


def _narrow_changes(
    changes: Comparison, shown: dict[str, list[ReportRecommendation]], plans: PlanSet, filters: Filters
) -> Comparison:
    """The changes to the items a filtered report shows, to actions since removed from a
    recommendation it shows and, with --owner, to items handed to or from those owners."""
    ids = {r.view.id for recs in shown.values() for r in recs} | {
        a.view.id for recs in shown.values() for r in recs for a in r.actions
    }
    current = {ref.recommendation.id for ref in plans.recommendations()} | {ref.action.id for ref in plans.actions()}

    def kept(change: Change) -> bool:
        if change.id in ids:
            return True
        if change.field == "owner" and {change.old, change.new} & set(filters.owners):
            return True
        return change.id not in current and change.recommendation in ids

    return dataclasses.replace(changes, changes=[c for c in changes.changes if kept(c)])


def _workload(rows: list[OwnerView], filters: Filters) -> list[OwnerView]:
    """The workload of what the report shows: the chosen owners' rows or, narrowed to sources
    only, the owners with open actions in them."""
    if filters.owners:
        return [row for row in rows if row.key in filters.owners]
    if filters.sources:
        return [row for row in rows if row.open]
    return rows


def group_by_recommendation(actions: Iterable[ActionView], texts: dict[str, str]) -> list[ActionGroup]:
    """The actions under a heading per recommendation, in the list's own order: the group of
    the list's first action (the most overdue, or the soonest due) comes first."""
    groups: dict[str, list[ActionView]] = {}
    for action in actions:
        groups.setdefault(action.recommendation, []).append(action)
    return [ActionGroup(rec, texts.get(rec, ""), tuple(items)) for rec, items in groups.items()]


def change_in_full(change: Change) -> str:
    """`Change.describe(how_far=False)` with every text in full: the Board reads the whole
    update, evidence, title or recommendation text, where a terminal table shortens it."""
    old, new = change.old, change.new
    if change.field in ("recommendation", "action", "update", "evidence"):
        return f"{change.field} {'added' if old is None else 'removed'}: {_one_line(new if old is None else old)}"
    if change.field in ("text", "title", "measure") and new is not None:
        if old is None:
            return f"{change.field} added: {_one_line(new)}"
        return f"{change.field} changed from {_one_line(old)!r} to {_one_line(new)!r}"
    return change.describe(how_far=False)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def render_report(report: Report, fmt: ReportFormat = "html") -> str:
    """The report as one self-contained HTML page or as Markdown text."""
    template = template_environment().get_template(TEMPLATES[fmt])
    chart = rag_bar_figure(
        [(s.id, s.recommendations) for s in report.sources], RAGS, CHART_TITLE, "chart-recommendations"
    )
    from markupsafe import Markup

    trend = ""
    if report.meeting is not None:
        rows = [(meeting_label(state.day), state.rag_counts(RAGS)) for state in report.meeting.states]
        trend = rag_bar_figure(rows, RAGS, trend_title(report.meeting), "chart-trend")
    sparks = {i.id: Markup(indicator_chart_of(i)) for i in report.indicators_in_full}
    return template.render(
        report=report, chart=Markup(chart), chart_title=CHART_TITLE, trend=Markup(trend), sparks=sparks
    )


def trend_title(meeting: MeetingHistory) -> str:
    return f"Recommendations by RAG at each meeting of the {meeting.board_name}"


def meeting_label(day: date) -> str:
    """'13 Sep 2022': short enough to label a bar."""
    return f"{day.day} {_MONTHS[day.month - 1][:3]} {day.year}"


def indicator_chart_of(i: IndicatorView) -> str:
    baseline = (i.baseline.date, i.baseline.value) if i.baseline is not None else None
    readings = [(r.date, r.value) for r in i.readings]
    return indicator_chart(describe_indicator(i), i.unit, baseline, (i.target.date, i.target.value), readings, i.rag)


def template_environment() -> Environment:
    """The Jinja2 environment of the reports (the Board report and the regional one): HTML
    autoescaped, undefined values an error, every printed value through `_shown`, and the
    filters the templates use."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("yotplan.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_shown,
    )
    filters: dict[str, Callable[..., Any]] = {
        "long_date": long_date,
        "md": markdown_paragraph,
        "md_cell": markdown_table_cell,
        "words": lambda value: str(value).replace("-", " "),
        "days": lambda n: f"{n} day{'s' if n != 1 else ''}",
        "in_full": change_in_full,
        "short_title": lambda text: short_title(text, CHANGE_TITLE_WIDTH),
        "counted": plural,
        "measurement": measurement,
        "with_unit": with_unit,
        "indicator_summary": describe_indicator,
        "indicator_change": describe_change,
        "css_string": css_string,
    }
    env.filters.update(filters)
    return env


def css_string(text: str) -> Any:
    """`text` as a CSS string literal, every character but letters, digits and a few safe
    marks escaped (`\\22 ` for a quote), so no value can end the string or the style sheet."""
    from markupsafe import Markup

    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.:;()'-·")
    return Markup('"' + "".join(c if c in safe else f"\\{ord(c):x} " for c in text) + '"')


def long_date(day: date | None) -> str:
    """'1 October 2022': unambiguous for a Board paper, and independent of the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}" if day else ""


def _shown(value: object) -> object:
    """Every value a template prints, with control characters made visible (autoescaping, which
    runs after this, handles HTML; `md`/`md_cell` have handled Markdown). Markup (the chart)
    stays markup."""
    if not isinstance(value, str):
        return value
    shown = visible(value)
    return value if shown is value else (type(value)(shown) if hasattr(value, "__html__") else shown)


def markdown_table_cell(value: object) -> str:
    """Any value as text safe in a Markdown table cell (see `render.data.markdown_cell`)."""
    return markdown_cell("" if value is None else str(value))


def markdown_paragraph(value: object) -> str:
    """Any value as text safe as a Markdown paragraph (see `render.data.markdown_text`)."""
    return markdown_text("" if value is None else str(value))


def rag_key(soon_days: int) -> list[tuple[str, str]]:
    """How each RAG is reached, in words, with the amber window the report uses."""
    amber = f"an open action is blocked, or not started and due within {soon_days} days"
    return [(rag, amber if rag == "amber" else RAG_KEY[rag]) for rag in RAGS]
