"""The body of a dashboard table, written in Python: a sessions table of a busy year
has thousands of cells, and one `format_html` per row is many times faster than the
template engine's loops (the dashboard's time is measured by `make bench`)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()


def cell_html(cell, first, link=None):
    if first:
        extra = ""
        if link:
            extra = format_html(
                ' <a class="pilotage-link" href="{}">{}<span class="w-sr-only"> — {}</span></a>',
                link,
                _("Analyse des questions"),
                cell.text,
            )
        return format_html('<th scope="row">{}{}</th>', cell.text, extra)
    if cell.is_label:
        return format_html("<td>{}</td>", cell.text)
    return format_html('<td class="{}">{}</td>', "pilotage-num", cell.text)


def row_html(cells, link=None):
    inner = format_html_join(
        "", "{}", ((cell_html(cell, index == 0, link),) for index, cell in enumerate(cells))
    )
    return format_html("<tr>{}</tr>", inner)


@register.simple_tag
def table_body(table):
    """<tbody> rows (with the item-analysis links of the modules table)."""
    if not table.rows:
        return format_html(
            '<tr><td colspan="{}">{}</td></tr>',
            len(table.columns),
            _("Aucune donnée pour ces filtres."),
        )
    return format_html_join("", "{}", ((row_html(cells, link),) for cells, link in table.lines()))


@register.simple_tag
def table_total(table):
    return row_html(table.total)
