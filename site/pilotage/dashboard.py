"""The dashboard as one object: every table of the filters, through the small-cell
rule, with its chart. The page, the XLSX exports and the PDF bilan all read this,
so they can never disagree, nor show a cell the rule has not seen.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from . import charts, figures, sections
from .cache import cached_sections
from .privacy import protect


@dataclass
class Section:
    key: str
    title: str
    tables: list = field(default_factory=list)  # (ShownTable, Chart or None)


@dataclass
class Dashboard:
    filters: object
    sections: list
    computed_at: object = None  # when the figures come from the cache (pilotage/cache.py)

    def tables(self):
        return [table for section in self.sections for table, _chart in section.tables]

    def table(self, key):
        return next((table for table in self.tables() if table.key == key), None)

    def chart(self, key):
        for section in self.sections:
            for table, chart in section.tables:
                if table.key == key:
                    return chart
        return None


def shown(table, chart_kind=None, label_key=None, value_key=None):
    """(the protected table, its chart) — charts are drawn from protected cells only."""
    if table is None:
        return None
    protected = protect(table)
    chart = None
    if chart_kind:
        chart = charts.build(chart_kind, protected, label_key, value_key)
    return protected, chart


def build_dashboard(filters, *, full=False):
    """Every section of the dashboard, in the order shown; a constant number of queries.

    The attendance of each half-day is a long table (two rows per session): the page
    shows it once a session or a module is chosen; the XLSX export (`full`) always."""
    module_satisfaction = sections.survey_counts(filters, "module")
    session_satisfaction = sections.survey_counts(filters, "session")
    people = figures.people_tables(filters)
    enrolled = figures.enrolment_counts(filters)  # one pass for modules and dropouts
    people_section = Section("personnes", _("Personnes formées"))
    for table in people:
        kind = charts.VERTICAL if table.key == "mois" else charts.HORIZONTAL
        label_key = table.columns[0].key
        people_section.tables.append(shown(table, kind, label_key, "people"))
    modules = Section(
        "modules",
        _("Modules en ligne"),
        [
            shown(figures.modules_table(filters, module_satisfaction, enrolled)),
            shown(sections.dropouts_table(filters, enrolled)),
            shown(sections.positioning_table(filters)),
        ],
    )
    sessions = Section(
        "sessions",
        _("Sessions en présentiel"),
        [
            shown(figures.sessions_table(filters, session_satisfaction)),
            shown(figures.half_days_table(filters))
            if full or filters.session is not None or filters.module is not None
            else None,
        ],
    )
    quality = Section(
        "qualite",
        _("Satisfaction, réclamations et améliorations"),
        [
            shown(sections.satisfaction_table(module_satisfaction, session_satisfaction)),
            shown(sections.complaints_table(filters)),
            shown(sections.actions_table(filters)),
        ],
    )
    guides = Section(
        "guides",
        _("Guides"),
        [
            shown(sections.guide_counts(filters), charts.VERTICAL, "when", "views"),
            shown(sections.guides_table(filters)),
        ],
    )
    every = [people_section, modules, sessions, quality, guides]
    for section in every:
        section.tables = [item for item in section.tables if item is not None]
    return Dashboard(filters, [section for section in every if section.tables])


def cached_dashboard(filters, *, full=False):
    """`build_dashboard`, from the cache while nothing it counts has changed (at most
    `cache.CACHE_SECONDS` old, pilotage/cache.py), with the time it was computed."""
    built, computed_at = cached_sections(
        filters, lambda: build_dashboard(filters, full=full).sections, full=full
    )
    return Dashboard(filters, built, computed_at)
