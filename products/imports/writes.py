"""The records an import writes, kept in memory while its rows are applied and written at the
end in a number of statements that does not grow with the rows: one bulk insert per table, one
bulk update per table for the records it changed, one bulk insert per history table.

Row by row, 5,000 rows took 230,821 queries (a savepoint around every service call, full_clean's
uniqueness and constraint queries, one history insert per save). The rules stay those of the
services (products.services builds and derives in memory what they save); what changes is when
the rows reach the database. The history keeps one record for every save the services would
have made, with the values of that moment, so that it reads as if the rows had been saved one
by one (a participation registered at a later stage has two: registered, then moved on).
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from django.db import models
from django.utils import timezone

from ocop_portal.figures_cache import registry_changed


def clean_in_memory(record: models.Model) -> None:
    """full_clean without its queries: each foreign key holds a record the import loaded or
    created, and uniqueness is checked by the import's own index of what it loaded. The check
    constraints hold by construction of the values the services build (stars 1 to 5, a
    recognition with its decision, a certificate of 36 months...); the database still enforces
    them, and a violation fails the whole import."""
    relations = [field.name for field in record._meta.concrete_fields if field.is_relation]
    record.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


@dataclass(frozen=True)
class _Ref:
    """A foreign key value in a history snapshot: the record, whose key is known once written."""

    record: models.Model


@dataclass
class _Saved:
    record: models.Model
    history_type: str
    history_date: object
    values: dict


# Dependencies first: each record's foreign keys point at records inserted before it.
_INSERT_ORDER = ["subjects.subject", "products.product", "products.evaluation",
                 "products.certificate", "products.cycleparticipation",
                 "products.qualitycertification", "products.traceability"]
# Foreign keys that may point at a record inserted later in the same flush (a product's current
# certificate, a certificate's successor): inserted empty, then set by the bulk update.
_DEFERRED = {"products.product": ["current_certificate"],
             "products.certificate": ["superseded_by"]}


class Writes:
    """New records, loaded records (to find what changed) and history snapshots of one import.
    Everything is appended, so that a refused row's part is dropped by truncating (`mark` and
    `undo`)."""

    def __init__(self, history_user):
        self.history_user = history_user
        self.created: list[models.Model] = []
        self.saved: list[_Saved] = []
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
        history_model = _history_model(type(record))
        if history_model is None:
            return
        now = timezone.now()
        for field in record._meta.concrete_fields:
            # What the save's pre_save would set, so that the snapshot carries it.
            if getattr(field, "auto_now", False) or (created and getattr(field, "auto_now_add",
                                                                          False)):
                setattr(record, field.attname, now)
        values = {}
        for field in history_model.tracked_fields:
            if field.primary_key:
                values[field.attname] = _Ref(record)
            elif field.is_relation and field.is_cached(record):
                related = getattr(record, field.name)
                values[field.attname] = _Ref(related) if related is not None else None
            else:
                values[field.attname] = getattr(record, field.attname)
        self.saved.append(_Saved(record, "+" if created else "~", now, values))

    def mark(self) -> tuple[int, int]:
        return len(self.created), len(self.saved)

    def undo(self, mark: tuple[int, int]) -> None:
        del self.created[mark[0]:]
        del self.saved[mark[1]:]

    # The end ---------------------------------------------------------------------------------

    def flush(self) -> None:
        """Insert the new records, update the changed ones, insert the history; then retire the
        dashboards' cached figures once (bulk writes send no post_save)."""
        updates: dict[type, tuple[list, set]] = defaultdict(lambda: ([], set()))
        by_model: dict[str, list] = defaultdict(list)
        for record in self.created:
            by_model[record._meta.label_lower].append(record)
        for label in sorted(by_model, key=_INSERT_ORDER.index):
            records = by_model[label]
            model = type(records[0])
            deferred = _DEFERRED.get(label, [])
            pending = []
            for record in records:
                for name in deferred:
                    target = getattr(record, name)
                    if target is not None:
                        pending.append((record, name, target))
                        setattr(record, name, None)
            model.objects.bulk_create(records)
            for record, name, target in pending:
                setattr(record, name, target)
                objs, fields = updates[model]
                objs.append(record)
                fields.add(name)
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
            unique = list({id(record): record for record in objs}.values())
            model.objects.bulk_update(unique, sorted(fields))
        self._flush_history()
        if self.created or updates:
            registry_changed()

    def _flush_history(self) -> None:
        rows = defaultdict(list)
        user_id = getattr(self.history_user, "pk", None)
        for saved in self.saved:
            history_model = _history_model(type(saved.record))
            values = {name: (value.record.pk if isinstance(value, _Ref) else value)
                      for name, value in saved.values.items()}
            rows[history_model].append(history_model(
                history_date=saved.history_date, history_type=saved.history_type,
                history_user_id=user_id, history_change_reason=None, **values))
        for history_model, records in rows.items():
            history_model.objects.bulk_create(records)


@cache
def _history_model(model: type[models.Model]):
    """The model's historical model (django-simple-history), None without history. Reading
    `Model.history` builds a manager each time: far too slow for thousands of snapshots."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager is None:
        return None
    return getattr(model, manager).model


def _field_values(record: models.Model) -> dict:
    return {field.name: getattr(record, field.attname) for field in record._meta.concrete_fields}


def _sync_keys(record: models.Model) -> None:
    """A foreign key given a record before it was inserted still holds no key: take it now."""
    for field in record._meta.concrete_fields:
        if field.is_relation and field.is_cached(record):
            related = getattr(record, field.name)
            if related is not None and getattr(record, field.attname) != related.pk:
                setattr(record, field.attname, related.pk)
