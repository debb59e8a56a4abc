"""Sortable lists: `?sort=name` and `?sort=-name` (and the other columns a list offers), text in
Vietnamese alphabetical order, the primary key last so that pages never overlap. The same sort
applies to the list's pages and to its export, which read the same query string."""

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import F, OrderBy, QuerySet
from django.db.models.expressions import BaseExpression

from ocop_portal.collation import vietnamese


@dataclass(frozen=True)
class Column:
    """A sortable column: `key` in the query string, its header, and what it sorts by (each
    path sorted in Vietnamese order when `text`)."""

    key: str
    label: str
    paths: tuple[str, ...]
    text: bool = False
    # Which way a first click sorts: dates and stars newest or highest first.
    descending_first: bool = False

    def ordering(self, descending: bool) -> list[BaseExpression]:
        expressions: list[BaseExpression] = []
        for path in self.paths:
            expression = vietnamese(path) if self.text else F(path)
            expressions.append(OrderBy(expression, descending=descending,
                                       nulls_last=True))
        return expressions


@dataclass(frozen=True)
class ListSort:
    """The sort a list was asked for (its default when the query string names none, or names a
    column the list does not have)."""

    columns: tuple[Column, ...]
    key: str
    descending: bool
    params: Mapping[str, str]

    @classmethod
    def from_request(cls, params: Mapping[str, str], columns: tuple[Column, ...],
                     default: str) -> "ListSort":
        asked = str(params.get("sort", "") or "")
        known = {column.key for column in columns}
        if asked.removeprefix("-") not in known:  # "--name" is not a column
            asked = default
        return cls(columns, asked.removeprefix("-"), asked.startswith("-"), params)

    @property
    def column(self) -> Column:
        return next(column for column in self.columns if column.key == self.key)

    @property
    def value(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    def apply(self, queryset: QuerySet) -> QuerySet:
        return queryset.order_by(*self.column.ordering(self.descending), "pk")

    def headers(self) -> dict[str, dict]:
        """For each column key: its label, the link that sorts by it (or reverses it when it is
        the current sort), and its aria-sort state; other filters kept, the page dropped."""
        kept = [(key, value) for key, value in self._items() if key not in ("sort", "page")]
        headers = {}
        for column in self.columns:
            active = column.key == self.key
            descending = (not self.descending) if active else column.descending_first
            sort = f"-{column.key}" if descending else column.key
            headers[column.key] = {
                "label": column.label,
                "url": "?" + urlencode([*kept, ("sort", sort)]),
                "active": active,
                "descending": active and self.descending,
                "aria": ("descending" if self.descending else "ascending") if active else "none",
            }
        return headers

    def _items(self):
        if hasattr(self.params, "lists"):
            for key, values in self.params.lists():
                for value in values:
                    yield key, value
        else:
            yield from self.params.items()
