"""The records an import writes, kept in memory while its rows are applied and written at the
end in a number of statements that does not grow with the rows: one query per table to reserve
the new records' keys, one insert per table (COPY on PostgreSQL), one bulk update per table for
the loaded records it changed, one insert per history table.

Row by row, 5,000 rows took 230,821 queries (a savepoint around every service call, full_clean's
uniqueness and constraint queries, one history insert per save). The rules stay those of the
services (products.services builds and derives in memory what they save); what changes is when
the rows reach the database. The history keeps one record for every save the services would
have made, with the values of that moment, so that it reads as if the rows had been saved one
by one (a participation registered at a later stage has two: registered, then moved on).

The rows are written as plain values rather than through Model instances and the ORM's insert
compiler: at 50,000 rows (30,000 of them history) that compiler alone took longer than the rest
of the import. Keys are reserved before anything is inserted, so every foreign key, a product's
current certificate or a certificate's successor too, is known when its row is written; the
database checks foreign keys at commit (Django declares them deferrable), so the order of the
tables is only for the reader.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from django.db import connection, models
from django.utils import timezone

from ocop_portal import review
from ocop_portal.figures_cache import registry_changed
from products.models import Evaluation, QualityCertification, Traceability


def clean_in_memory(record: models.Model) -> None:
    """full_clean without its queries: each foreign key holds a record the import loaded or
    created, and uniqueness is checked by the import's own index of what it loaded. The check
    constraints hold by construction of the values the services build (stars 1 to 5, a
    recognition with its decision, a certificate of 36 months...); the database still enforces
    them, and a violation fails the whole import."""
    record.full_clean(exclude=_relations(type(record)), validate_unique=False,
                      validate_constraints=False)


@cache
def _relations(model: type[models.Model]) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if field.is_relation]


# Internal types whose Python values psycopg writes as they are (what the fields' own
# get_db_prep_save would return on PostgreSQL); any other field, and every field on SQLite,
# goes through get_db_prep_save.
_PLAIN = {"AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField",
          "DateField", "DateTimeField", "DecimalField", "ForeignKey", "IntegerField",
          "OneToOneField", "PositiveIntegerField", "PositiveSmallIntegerField",
          "SmallIntegerField", "TextField"}


def _preparer(source: models.Field, target: models.Field):
    """How a value read from `source` is made ready for `target`'s column; None: as it is."""
    if connection.vendor == "postgresql" and source.get_internal_type() in _PLAIN:
        return None
    return lambda value: target.get_db_prep_save(value, connection)


@dataclass(frozen=True, eq=False)  # one per table, compared as itself
class _Columns:
    """The columns of one table the import writes, and for each, where its value comes from:
    the field of the record (a relation is read as the related record when it is in memory,
    whose key may be known only at the end) and how the value is prepared."""

    table: str
    names: list[str]
    fields: list[models.Field]
    preparers: list

    def values(self, record: models.Model) -> list:
        """The record's values, a related record in memory standing for its key."""
        values = []
        for field in self.fields:
            if field.primary_key:
                values.append(record)
            elif field.is_relation and field.is_cached(record):
                values.append(getattr(record, field.name))
            else:
                values.append(getattr(record, field.attname))
        return values

    def row(self, values: list) -> tuple:
        """`values` as the row written: records replaced by their keys, then prepared."""
        row = []
        for value, prepare in zip(values, self.preparers, strict=True):
            if isinstance(value, models.Model):
                value = value.pk
            row.append(value if prepare is None or value is None else prepare(value))
        return tuple(row)


@cache
def _record_columns(model: type[models.Model]) -> _Columns:
    fields = list(model._meta.concrete_fields)
    return _Columns(model._meta.db_table, [field.column for field in fields], fields,
                    [_preparer(field, field) for field in fields])


@dataclass(frozen=True)
class _History:
    """A model's historical table (django-simple-history): the tracked columns, then the
    history's own; and the fields a save sets (auto_now) that the snapshot carries."""

    columns: _Columns
    auto_now: list[str]
    auto_now_add: list[str]


_HISTORY_OWN = ["history_date", "history_type", "history_user_id", "history_change_reason"]


@cache
def _history(model: type[models.Model]) -> _History | None:
    """The model's history table, None without history. Reading `Model.history` builds a
    manager each time: far too slow for thousands of snapshots."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager is None:
        return None
    history_model = getattr(model, manager).model
    tracked = list(history_model.tracked_fields)
    targets = [history_model._meta.get_field(field.name) for field in tracked]
    own = [history_model._meta.get_field(name.removesuffix("_id")) for name in _HISTORY_OWN]
    columns = _Columns(
        history_model._meta.db_table, [field.column for field in targets + own],
        tracked, [*(_preparer(s, t) for s, t in zip(tracked, targets, strict=True)),
                  *(_preparer(field, field) for field in own)])
    concrete = model._meta.concrete_fields
    return _History(columns,
                    [field.attname for field in concrete if getattr(field, "auto_now", False)],
                    [field.attname for field in concrete
                     if getattr(field, "auto_now_add", False)])


# What a district officer's import creates that awaits the province's review.
REVIEWED_KINDS: dict[type, str] = {Evaluation: "evaluation", QualityCertification: "quality",
                                   Traceability: "traceability"}


class Writes:
    """New records, loaded records (to find what changed) and history snapshots of one import.
    Everything is appended, so that a refused row's part is dropped by truncating (`mark` and
    `undo`)."""

    def __init__(self, history_user):
        self.history_user_id = getattr(history_user, "pk", None)
        self.review_user = history_user if review.needs_review(history_user) else None
        # New producers' first programme years held for review: (subject, year).
        self.first_years: list[tuple[models.Model, int]] = []
        self.created: list[models.Model] = []
        # For each save the services would make: the history table, and the values of then.
        self.saved: list[tuple[_History, list]] = []
        self._loaded: list[tuple[models.Model, dict]] = []

    def loaded(self, record: models.Model) -> None:
        """A record read from the database: at the end, its changed fields are written."""
        self._loaded.append((record, _field_values(record)))

    def create(self, record: models.Model) -> None:
        """A new record, saved as the services would (history “+”)."""
        self.created.append(record)
        self.save(record, created=True)

    def save(self, record: models.Model, *, created: bool = False) -> None:
        """Where a service would save `record`: a history snapshot of that moment."""
        history = _history(type(record))
        if history is None:
            return
        now = timezone.now()
        # What the save's pre_save would set, so that the snapshot carries it.
        for attname in history.auto_now + (history.auto_now_add if created else []):
            setattr(record, attname, now)
        values = history.columns.values(record)
        values += [now, "+" if created else "~", self.history_user_id, None]
        self.saved.append((history, values))

    def hold_first_year(self, subject: models.Model, year: int) -> None:
        """A district officer's new producer: its first programme year awaits review."""
        self.first_years.append((subject, year))

    def mark(self) -> tuple[int, int, int]:
        return len(self.created), len(self.saved), len(self.first_years)

    def undo(self, mark: tuple[int, int, int]) -> None:
        del self.created[mark[0]:]
        del self.saved[mark[1]:]
        del self.first_years[mark[2]:]

    # The end ---------------------------------------------------------------------------------

    def flush(self) -> None:
        """Insert the new records, update the changed ones, insert the history; then retire the
        dashboards' cached figures once (bulk writes send no post_save)."""
        by_model: dict[type, list] = defaultdict(list)
        for record in self.created:
            by_model[type(record)].append(record)
        for model, records in by_model.items():
            for record, pk in zip(records, _reserve_keys(model, len(records)), strict=True):
                record.pk = pk
        for model, records in by_model.items():
            columns = _record_columns(model)
            _insert(columns, [columns.row(columns.values(record)) for record in records])
        updated = self._update_loaded()
        history = defaultdict(list)
        for table, values in self.saved:
            history[table.columns].append(table.columns.row(values))
        for columns, rows in history.items():
            _insert(columns, rows)
        if self.review_user is not None:
            # A district officer's evaluations, standards and traceability await review.
            review.submit_created(self.created, user=self.review_user, kinds=REVIEWED_KINDS)
            review.submit_first_years(self.first_years, user=self.review_user)
        if self.created or updated:
            registry_changed()

    def _update_loaded(self) -> bool:
        """Write the fields of loaded records that the rows changed; whether there were any."""
        updates: dict[type, tuple[list, set]] = defaultdict(lambda: ([], set()))
        now = timezone.now()
        for record, before in self._loaded:
            _sync_keys(record)
            changed = {name for name, value in _field_values(record).items()
                       if before[name] != value}
            if not changed:
                continue
            if any(field.name == "updated_at" for field in record._meta.concrete_fields):
                record.updated_at = now
                changed.add("updated_at")
            objs, fields = updates[type(record)]
            objs.append(record)
            fields |= changed
        for model, (objs, fields) in updates.items():
            model.objects.bulk_update(objs, sorted(fields))
        return bool(updates)


def _reserve_keys(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys of `model`'s table, in increasing order, in one query."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Taken from the table's sequence: no other transaction can be given them.
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                           "FROM generate_series(1, %s)", [table, pk, count])
            return sorted(key for (key,) in cursor.fetchall())
        # SQLite (the embedded default) lets one transaction write at a time. Its keys are
        # AUTOINCREMENT: never one of a deleted record, whose history still names it.
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT MAX(COALESCE((SELECT MAX({connection.ops.quote_name(pk)}) "  # noqa: S608
                       f"FROM {quoted}), 0), COALESCE((SELECT seq FROM sqlite_sequence "
                       "WHERE name = %s), 0))", [table])
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def _insert(columns: _Columns, rows: list[tuple]) -> None:
    """One statement for all `rows` of a table: COPY on PostgreSQL, else one executemany."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table, names = quote(columns.table), ", ".join(quote(name) for name in columns.names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The cursor's copy is psycopg's own: its errors are made Django's here.
            with connection.wrap_database_errors, cursor.copy(
                    f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns.names))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})",  # noqa: S608
                               rows)


def _field_values(record: models.Model) -> dict:
    return {field.name: getattr(record, field.attname) for field in record._meta.concrete_fields}


def _sync_keys(record: models.Model) -> None:
    """A foreign key given a record before it was inserted still holds no key: take it now."""
    for field in record._meta.concrete_fields:
        if field.is_relation and field.is_cached(record):
            related = getattr(record, field.name)
            if related is not None and getattr(record, field.attname) != related.pk:
                setattr(record, field.attname, related.pk)
