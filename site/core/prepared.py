"""Querysets compiled once per process, then run with new values.

A page that reads « the rows of person n » spends most of each query in Python:
building the queryset and compiling it to SQL (about 0.2 ms each), where the database
answers in a few hundredths of that. A `PreparedQuery` builds and compiles its queryset
once per process and database, with stand-in values, and runs that SQL afterwards with
the request's values put in the stand-ins' places. The SQL is the ORM's own (filters,
ordering, deferred columns); values are always passed apart as parameters, never
formatted into the text.

Only for the querysets a page runs on every request, whose shape never changes: the
stand-ins must all be found among the compiled parameters, or the build fails loudly.
"""

import datetime
import threading
import weakref

from django.db import DEFAULT_DB_ALIAS, connections

# Values nothing real holds: negative ids, a date before the project existed.
_INT_BASE = -2_000_000_000
_DATETIME_BASE = datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC)


class _Kind:
    def __init__(self, name):
        self.name = name


INT = _Kind("int")
DATETIME = _Kind("datetime")


class FieldValue(_Kind):
    """A parameter of another type, prepared by the model field it is compared with,
    as the ORM's lookup prepares it (a UUID is hex on SQLite, stays a UUID on
    PostgreSQL); `sample` is a value no row holds, the stand-in while compiling."""

    def __init__(self, field, sample):
        super().__init__(field.name)
        self.field = field
        self.sample = sample


class PreparedQuery:
    """`PreparedQuery(build, user=INT, now=DATETIME)`: `build(user=…, now=…)` returns the
    queryset for those values; `.instances(user=…, now=…)` runs it as model instances
    (its selected columns, converted as the ORM does), `.dicts(…)` runs a
    `.values(…)` queryset as dicts and `.rows(…)` a `.values_list(…)` one as tuples
    (converted as the ORM does too). A stand-in may appear several times in the SQL
    (a UNION of queries on the same ids)."""

    def __init__(self, build, **kinds):
        self.build = build
        self.kinds = kinds
        self._compiled = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _stand_ins(self):
        stand_ins = {}
        for index, (name, kind) in enumerate(self.kinds.items()):
            if kind is INT:
                stand_ins[name] = _INT_BASE - index
            elif kind is DATETIME:
                stand_ins[name] = _DATETIME_BASE + datetime.timedelta(seconds=index)
            else:
                stand_ins[name] = kind.sample
        return stand_ins

    def _adapt(self, name, value, connection):
        kind = self.kinds[name]
        if kind is DATETIME:
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(kind, FieldValue):
            return kind.field.get_db_prep_value(value, connection, prepared=False)
        return int(value)

    def _compile(self, using):
        # Per connection object (one per thread and database): the converters the
        # compiler picks are that connection's.
        connection = connections[using]
        found = self._compiled.get(connection)
        if found is not None:
            return found
        stand_ins = self._stand_ins()
        queryset = self.build(**stand_ins).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        adapted = {self._adapt(name, value, connection): name for name, value in stand_ins.items()}
        slots = [adapted.get(param) for param in params]
        missing = set(stand_ins) - set(slots)
        if missing:
            raise ValueError(f"stand-ins not among the compiled parameters: {sorted(missing)}")
        query = queryset.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        converters = compiler.get_converters(
            [column for column, *_rest in compiler.select[: compiler.col_count]]
        )
        found = _Compiled(queryset.model, sql, list(params), slots, names, converters)
        klass_info = compiler.klass_info
        if klass_info is not None and not klass_info.get("related_klass_infos"):
            # A model queryset: which columns make the instance (ModelIterable's
            # reading of the compiler), and which are annotations set on it.
            fields = klass_info["select_fields"]
            found.model_columns = (fields[0], fields[-1] + 1)
            found.init_list = [
                compiler.select[index][0].target.attname
                for index in range(fields[0], fields[-1] + 1)
            ]
            found.annotations = dict(compiler.annotation_col_map)
        with self._lock:
            self._compiled[connection] = found
        return found

    def _params(self, connection, compiled, values):
        if set(values) != set(self.kinds):
            raise TypeError(f"expected values for {sorted(self.kinds)}")
        return [
            param if name is None else self._adapt(name, values[name], connection)
            for param, name in zip(compiled.params, compiled.slots, strict=True)
        ]

    def instances(self, using=DEFAULT_DB_ALIAS, **values):
        """Model instances of a model queryset (no `select_related`), built as the ORM
        builds them (`Model.from_db`), its annotations set on each."""
        compiled = self._compile(using)
        if compiled.init_list is None:
            raise TypeError("instances() needs a model queryset without select_related")
        start, end = compiled.model_columns
        model, init_list = compiled.model, compiled.init_list
        found = []
        for row in self._rows(using, compiled, values):
            instance = model.from_db(using, init_list, row[start:end])
            for name, index in compiled.annotations.items():
                setattr(instance, name, row[index])
            found.append(instance)
        return found

    def dicts(self, using=DEFAULT_DB_ALIAS, **values):
        """Rows of a `.values(…)` queryset, as dicts, converted as the ORM does."""
        compiled = self._compile(using)
        names = compiled.names
        return [dict(zip(names, row, strict=True)) for row in self._rows(using, compiled, values)]

    def rows(self, using=DEFAULT_DB_ALIAS, **values):
        """Rows of a `.values_list(…)` queryset, as tuples, converted as the ORM does."""
        compiled = self._compile(using)
        return [tuple(row) for row in self._rows(using, compiled, values)]

    def _rows(self, using, compiled, values):
        connection = connections[using]
        params = self._params(connection, compiled, values)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        converters = compiled.converters.items()
        for row in rows:
            row = list(row)
            for index, (functions, expression) in converters:
                for function in functions:
                    row[index] = function(row[index], expression, connection)
            yield row


class _Compiled:
    def __init__(self, model, sql, params, slots, names, converters):
        self.model = model
        self.sql = sql
        self.params = params
        self.slots = slots
        self.names = names
        self.converters = converters
        self.init_list = None
