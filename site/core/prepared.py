"""ORM queries compiled once per process, then run with new values.

Building and compiling a queryset costs far more than running it on a page read on
every click (a few hundred microseconds against a few tens for the database): the
learner's own rows on the module and quiz pages are read by queries whose shape never
changes, only the ids do. `Prepared` compiles such a query once per thread and
database, with placeholder values standing for the parameters, and then sends the
same SQL with the request's values and reads the rows through the ORM's own
converters (dates, booleans): what the queryset would have returned, as tuples.

The SQL is the ORM's, its values always passed apart as parameters: nothing is
formatted into the text.
"""

import threading

from django.db import DEFAULT_DB_ALIAS, connections

# Stand-ins for the integer parameters while compiling: integers no row can have, found
# among the compiled parameters (each at least once, checked), then replaced by the
# values.
_PLACEHOLDER_BASE = -7_340_000_000


class Prepared:
    """`Prepared(build, "user_id", "module_id")`: `build(user_id=…, module_id=…)` returns
    a `.values_list()` queryset; calling the instance with the same keywords runs its
    SQL and returns the list of row tuples.

    Positional names are integer parameters (ids). A parameter of another type is
    named with the model field that prepares it and a sample value no row holds:
    `Prepared(build, "holder", uuid=(Certificate._meta.get_field("uuid"), UUID(int=0)))`;
    each call's value goes through that field as the ORM's lookup would prepare it
    (a UUID is hex on SQLite, stays a UUID on PostgreSQL).
    """

    def __init__(self, build, *names, **typed):
        self.build = build
        self.names = (*names, *typed)
        self.typed = typed
        self.compiled = threading.local()

    def _prepare(self, name, value, connection):
        if name in self.typed:
            field, _sample = self.typed[name]
            return field.get_db_prep_value(value, connection, prepared=False)
        return int(value)

    def _compile(self, using):
        connection = connections[using]
        samples = {name: _PLACEHOLDER_BASE - n for n, name in enumerate(self.names)}
        samples.update({name: sample for name, (_field, sample) in self.typed.items()})
        queryset = self.build(**samples)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        prepared = {name: self._prepare(name, value, connection) for name, value in samples.items()}
        slots = []
        for param in params:
            name = next((n for n, value in prepared.items() if param == value), None)
            slots.append((name, param))
        if {name for name, _param in slots if name is not None} != set(self.names):
            raise ValueError(f"each of {self.names} must be a parameter of the query")
        fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
        return sql, slots, compiler, compiler.get_converters(fields)

    def __call__(self, using=DEFAULT_DB_ALIAS, **values):
        if values.keys() != set(self.names):
            raise TypeError(f"expected values for {sorted(self.names)}, got {sorted(values)}")
        known = getattr(self.compiled, "by_alias", None)
        if known is None:
            known = self.compiled.by_alias = {}
        if using not in known:
            known[using] = self._compile(using)
        sql, slots, compiler, converters = known[using]
        connection = connections[using]
        params = [
            param if name is None else self._prepare(name, values[name], connection)
            for name, param in slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows
