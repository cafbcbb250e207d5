"""The Board report: one context built from the views, rendered as HTML or Markdown by Jinja2.

Plan text is user input. The HTML template is autoescaped (Jinja2's `select_autoescape`
for `.html.j2`), so `<script>` in an action title is shown as text; the Markdown template
passes every value through `markdown_paragraph`/`markdown_table_cell`, which neutralise HTML and
Markdown syntax, and a `finalize` hook makes control characters visible in every value printed.
The only raw HTML inserted is the chart, which `charts` escapes itself.
Nothing here reads the clock: the report is a pure function of the plans and `today`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from yotplan.plans.models import PlanFile, Update
from yotplan.plans.planset import PlanSet
from yotplan.render.data import markdown_cell, markdown_text
from yotplan.report.charts import rag_bar_chart
from yotplan.rules.rag import DEFAULT_SOON_DAYS, RAGS, Rag
from yotplan.safe_text import visible
from yotplan.views.queries import (
    ActionView,
    OwnerView,
    RecommendationView,
    overdue_actions,
    owner_workload,
    recommendation_view,
    upcoming_actions,
)

if TYPE_CHECKING:
    from jinja2 import Environment

    from yotplan.history.revisions import Comparison

ReportFormat = Literal["html", "markdown"]
TEMPLATES: dict[ReportFormat, str] = {"html": "report.html.j2", "markdown": "report.md.j2"}
DUE_SOON_DAYS = 30
"""The 'due soon' list looks this far ahead, the same window as the owners' workload."""

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

    @property
    def rags(self) -> tuple[Rag, ...]:
        return RAGS

    @property
    def recommendation_totals(self) -> dict[Rag, int]:
        return {rag: sum(s.recommendations[rag] for s in self.sources) for rag in RAGS}

    @property
    def action_totals(self) -> dict[Rag, int]:
        return {rag: sum(s.actions[rag] for s in self.sources) for rag in RAGS}


def build_report(
    plans: PlanSet,
    today: date,
    *,
    soon: int = DEFAULT_SOON_DAYS,
    within: int = DUE_SOON_DAYS,
    changes: Comparison | None = None,
) -> Report:
    """The report of `plans` as on `today`; `changes` (from `history.compare_revisions`) adds the
    'changes since' section."""
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
    for ref in plans.recommendations():
        view = recommendation_view(plans, ref, today, soon)
        summary = by_id[ref.source_id]
        summary.recommendations[view.rag] += 1
        actions = []
        for action_ref, action_view in zip(plans.actions_of(ref), view.actions, strict=True):
            summary.actions[action_view.rag] += 1
            action = action_ref.action
            latest = max(action.updates, key=lambda u: u.date, default=None)
            actions.append(ReportAction(action_view, action.measure, latest, tuple(action.evidence)))
        recommendations[ref.source_id].append(ReportRecommendation(view, tuple(actions)))
    return Report(
        today=today,
        sources=sources,
        overdue=overdue_actions(plans, today),
        due_soon=upcoming_actions(plans, today, within),
        due_soon_days=within,
        recommendations=recommendations,
        owners=owner_workload(plans, today, within),
        owner_labels={key: (owner.role, owner.agency) for key, owner in plans.owners.items()},
        soon_days=soon,
        changes=changes,
    )


def render_report(report: Report, fmt: ReportFormat = "html") -> str:
    """The report as one self-contained HTML page or as Markdown text."""
    template = _environment().get_template(TEMPLATES[fmt])
    chart = rag_bar_chart(
        [(s.id, s.recommendations) for s in report.sources],
        RAGS,
        "Recommendations by RAG status for each source",
    )
    from markupsafe import Markup

    return template.render(report=report, chart=Markup(chart))


def _environment() -> Environment:
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
    }
    env.filters.update(filters)
    return env


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
