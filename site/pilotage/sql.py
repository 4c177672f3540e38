"""Two aggregates the ORM does not write: a grouped median and a distinct count over
a union of querysets. Both wrap the SQL Django compiles for ordinary querysets, so
their filters, joins and parameters stay the ORM's (no value is ever formatted into
the SQL text).
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F

PERCENTILE = "percentile"
WINDOW = "window"


class NothingToCount(Exception):
    """The queryset can match nothing (`.none()`): no query to run."""


def compiled(queryset):
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet as empty:
        raise NothingToCount from empty
    return sql, list(params)


def median_method(using="default"):
    """PostgreSQL has `percentile_cont`; SQLite has window functions only."""
    return PERCENTILE if connections[using].vendor == "postgresql" else WINDOW


def grouped_median(queryset, group, value, *, method=None):
    """{group value: (median of `value`, number of rows)} in one query.

    `queryset` is filtered already; `group` and `value` are field paths. The window
    method (row numbers within each group, the middle one or the mean of the middle
    two) runs on both databases; PostgreSQL uses its own `percentile_cont(0.5)`.
    """
    rows = queryset.order_by().filter(**{f"{value}__isnull": False})
    try:
        sql, params = compiled(rows.values(g=F(group), v=F(value)))
    except NothingToCount:
        return {}
    method = method or median_method(queryset.db)
    # `sql` is the ORM's own SQL, its values passed apart as `params`: nothing typed
    # by anyone is formatted into the text.
    if method == PERCENTILE:
        outer = (
            "SELECT g, percentile_cont(0.5) WITHIN GROUP (ORDER BY v), COUNT(*) "  # noqa: S608
            f"FROM ({sql}) AS t GROUP BY g"
        )
    else:
        outer = (
            "SELECT g, AVG(v), MAX(n) FROM ("  # noqa: S608
            "SELECT g, v, ROW_NUMBER() OVER (PARTITION BY g ORDER BY v) AS r, "
            "COUNT(*) OVER (PARTITION BY g) AS n "
            f"FROM ({sql}) AS t"
            ") AS ranked WHERE r IN ((n + 1) / 2, (n + 2) / 2) GROUP BY g"
        )
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(outer, params)
        return {group_value: (float(median), count) for group_value, median, count in cursor}


def distinct_count_over_union(querysets, *, using="default"):
    """{group: number of distinct people} over the union of `querysets`.

    Each queryset is a `.values(p=<person>, g=<group>)`: a person who appears in two of
    them (a module completed and a half-day attended in the same month) counts once.
    """
    parts = []
    for queryset in querysets:
        try:
            parts.append(compiled(queryset.order_by()))
        except NothingToCount:
            continue
    if not parts:
        return {}
    union = " UNION ALL ".join(sql for sql, _params in parts)
    params = [param for _sql, part_params in parts for param in part_params]
    outer = f"SELECT g, COUNT(DISTINCT p) FROM ({union}) AS events GROUP BY g ORDER BY g"  # noqa: S608
    with connections[using].cursor() as cursor:
        cursor.execute(outer, params)
        return dict(cursor.fetchall())
