"""The regional report: many services' plans side by side, for the Youth Justice Board's
regional groups and a national view. One HTML page (or Markdown text) from the same Jinja2
environment as the Board report (`board.template_environment`), with the same escaping.

What the meeting reads first:

1. a summary and a titled chart of recommendations by RAG (one bar per service, or per region
   beyond `CHART_SERVICES_MAX` services), then the services x RAG matrix: one row per service
   (name, id, region, recommendations per RAG, overdue actions), by region and name, with a
   total per region (when there are several) and for all;
2. the services with the most overdue actions (`MOST_OVERDUE_SERVICES`), each with its worst one;
3. the themes of recommendations most often late across services (`views.regional`);
4. indicators by exception: those not on track (red, then amber) with why, and how many of each
   service's indicators are on track, so the meeting sees that the rest are fine.

Then a page per service, each starting on a new printed page and readable alone (no link is
needed to read it): its counts by source and RAG and its overdue actions, drawn by the same
template pieces as the Board report (`_pieces.html.j2`). Last, how themes are found.

Everything about a service (id, name, region) comes from its `PlanSet`. The report is a pure
function of the plans and `today`, and the order of the folders on the command line does not
change it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from yotplan.plans.planset import PlanSet
from yotplan.render.changes import short_title
from yotplan.report.board import DUE_SOON_DAYS, Report, ReportFormat, build_report, rag_key, template_environment
from yotplan.report.charts import rag_bar_figure
from yotplan.rules.impact import ImpactRag
from yotplan.rules.rag import DEFAULT_SOON_DAYS, RAGS, Rag
from yotplan.views.regional import (
    IMPACT_RAGS,
    TOPICS,
    IndicatorException,
    RegionTotal,
    ServiceRow,
    ThemeRow,
    Topic,
    by_region,
    indicators_needing_attention,
    most_overdue_services,
    rag_sum,
    service_rows,
    theme_rows,
)

TEMPLATES: dict[ReportFormat, str] = {"html": "regional.html.j2", "markdown": "regional.md.j2"}
MOST_OVERDUE_SERVICES = 10
"""Services in the list of those with the most overdue actions."""
CHART_SERVICES_MAX = 30
"""Up to this many services the chart has a bar per service (a regional group, London's 31
boroughs aside); beyond it, one per region, so that it still fits on a printed page."""
CHART_LABEL_WIDTH = 48
"""Characters of a service's name beside its bar; the matrix under the chart has it whole."""
THEME_SERVICES_SHOWN = 8
"""Service ids named in a theme's row ("late in"); beyond, "and N more"."""

_ANCHOR_UNSAFE = re.compile(r"[^a-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class ServicePage:
    """One service: its row of the matrix and its own page."""

    row: ServiceRow
    anchor: str
    """The id of its page in the HTML file, for the matrix to point at; unique in the file."""
    report: Report
    """Its Board report's pieces: counts by source and RAG, overdue and due-soon actions, owners."""


@dataclass(frozen=True, slots=True)
class RegionSection:
    """The services of one region in the matrix, and the region's total."""

    total: RegionTotal
    pages: tuple[ServicePage, ...]


@dataclass(frozen=True, slots=True)
class RegionalReport:
    """Everything the regional report shows, in the order it shows it."""

    today: date
    regions: list[RegionSection]
    pages: list[ServicePage]
    """Every service, in the matrix's order."""
    most_overdue: list[ServicePage]
    themes: list[ThemeRow]
    chart_by: Literal["service", "region"]
    indicators: list[IndicatorException] = dataclasses.field(default_factory=list)
    """The indicators not on track, red first (`indicators_needing_attention`)."""
    soon_days: int = DEFAULT_SOON_DAYS
    due_soon_days: int = DUE_SOON_DAYS
    topics: tuple[Topic, ...] = TOPICS

    @property
    def rag_key(self) -> list[tuple[str, str]]:
        """How each RAG is reached, for the key under the matrix."""
        return rag_key(self.soon_days)

    @property
    def rags(self) -> tuple[Rag, ...]:
        return RAGS

    @property
    def totals(self) -> dict[Rag, int]:
        return rag_sum(page.row.recommendations for page in self.pages)

    @property
    def recommendations(self) -> int:
        return sum(page.row.total for page in self.pages)

    @property
    def actions(self) -> int:
        return sum(page.row.actions for page in self.pages)

    @property
    def overdue(self) -> int:
        return sum(page.row.overdue_count for page in self.pages)

    @property
    def services_overdue(self) -> int:
        """Services with at least one overdue action."""
        return sum(1 for page in self.pages if page.row.overdue)

    @property
    def more_overdue_services(self) -> int:
        """Services with overdue actions that are not in `most_overdue`."""
        return self.services_overdue - len(self.most_overdue)

    @property
    def impact_rags(self) -> tuple[ImpactRag, ...]:
        return IMPACT_RAGS

    @property
    def indicator_totals(self) -> dict[ImpactRag, int]:
        """Every service's indicators by impact RAG, added up."""
        totals = dict.fromkeys(IMPACT_RAGS, 0)
        for page in self.pages:
            for rag, n in page.row.indicators.items():
                totals[rag] += n
        return totals

    @property
    def pages_with_indicators(self) -> list[ServicePage]:
        return [page for page in self.pages if page.row.indicators_total]

    @property
    def named_regions(self) -> list[RegionTotal]:
        return [section.total for section in self.regions]

    @property
    def themes_late(self) -> int:
        return sum(1 for row in self.themes if row.late)

    def late_in(self, row: ThemeRow) -> tuple[list[str], int]:
        """The first service ids a theme is late in, and how many more there are."""
        services = row.services_late
        return services[:THEME_SERVICES_SHOWN], max(0, len(services) - THEME_SERVICES_SHOWN)


def build_regional_report(
    plans: Sequence[PlanSet], today: date, *, soon: int = DEFAULT_SOON_DAYS, within: int = DUE_SOON_DAYS
) -> RegionalReport:
    """The regional report of several services' plans as on `today`."""
    rows = service_rows(plans, today, soon)
    anchors: set[str] = set()
    page_of: dict[int, ServicePage] = {}
    for row in rows:
        report = build_report(plans[row.index], today, soon=soon, within=within)
        page_of[row.index] = ServicePage(row, _anchor(row.service, anchors), report)
    pages = [page_of[row.index] for row in rows]
    regions = [RegionSection(total, tuple(page_of[row.index] for row in total.rows)) for total in by_region(rows)]
    most = [page_of[row.index] for row in most_overdue_services(rows, MOST_OVERDUE_SERVICES)]
    return RegionalReport(
        today=today,
        regions=regions,
        pages=pages,
        most_overdue=most,
        themes=theme_rows(plans, today, soon),
        indicators=indicators_needing_attention(plans, today),
        chart_by="service" if len(pages) <= CHART_SERVICES_MAX else "region",
        soon_days=soon,
        due_soon_days=within,
    )


def _anchor(service: str, taken: set[str]) -> str:
    """`service-ID`, made of safe characters, and unique (two folders may share an id)."""
    base = "service-" + (_ANCHOR_UNSAFE.sub("-", service.casefold()).strip("-") or "unnamed")
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


def chart_title(report: RegionalReport) -> str:
    return f"Recommendations by RAG status {'for each service' if report.chart_by == 'service' else 'in each region'}"


def render_regional_report(report: RegionalReport, fmt: ReportFormat = "html") -> str:
    """The regional report as one self-contained HTML page or as Markdown text."""
    from markupsafe import Markup

    title = chart_title(report)
    if report.chart_by == "service":
        rows = [(short_title(page.row.name, CHART_LABEL_WIDTH), page.row.recommendations) for page in report.pages]
    else:
        rows = [(total.label, total.recommendations) for total in report.named_regions]
    chart = rag_bar_figure(rows, RAGS, title, "chart-services")
    template = template_environment().get_template(TEMPLATES[fmt])
    return template.render(report=report, chart=Markup(chart), chart_title=title)
