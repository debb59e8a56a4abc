"""A row refused while it is applied: its issues, each in the column of the template that
holds the value a service's rule refused."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError

from products.imports.columns import title
from products.imports.report import Issue

# Which column of the template a service's field error belongs to, per record written.
SUBJECT_COLUMNS = {"name": "subject_name", "subject_type": "subject_type",
                   "registration_number": "registration_number", "district": "district",
                   "commune": "commune", "first_year_in_programme": "first_year"}
PRODUCT_COLUMNS = {"name": "product_name", "subject": "subject_name", "group": "group",
                   "district": "district", "commune": "commune", "first_cycle_year": "first_year"}
EVALUATION_COLUMNS = {"stars": "stars", "total_score": "score", "score_a": "score_a",
                      "score_b": "score_b", "score_c": "score_c", "level": "level",
                      "decision_number": "decision_number", "decision_date": "decision_date",
                      "cycle_year": "decision_date"}
CYCLE_COLUMNS = {"cycle_year": "cycle_year", "registered_on": "cycle_year", "kind": "cycle_year",
                 "stage": "stage", "on": "stage"}
EXTRA_COLUMNS = {"started_on": "decision_date", "issued_on": "decision_date",
                 "standard": "standards"}


class RowRefused(Exception):
    """A row that the database state makes impossible; carries its issues."""

    def __init__(self, *issues: Issue):
        self.issues = list(issues)
        super().__init__("; ".join(str(issue) for issue in issues))


def issues_from(error: ValidationError, row: int, column_keys: dict) -> list[Issue]:
    """A service's ValidationError as issues of `row`, each field's in its column."""
    if not hasattr(error, "error_dict"):
        return [Issue(message, row) for message in error.messages]
    issues = []
    for field_name, messages in error.message_dict.items():
        key = column_keys.get(field_name)
        for message in messages:
            issues.append(Issue(message, row, title(key) if key else None))
    return issues


def label(choices, value) -> str:
    """A choice's label as a message shows it; empty when there is none."""
    return choices(value).label if value else ""


@contextmanager
def located(row: int, column_keys: dict):
    """A service rule's ValidationError as the row's issues, each in its column."""
    try:
        yield
    except ValidationError as error:
        raise RowRefused(*issues_from(error, row, column_keys)) from error
