"""What the rows of an import can meet in the registry, read once before they are applied: the
producers their registration numbers or names match, those producers' products of the names in
the file, and each such product's evaluations, certificates, cycle participations, standards
and traceability. A handful of queries, whatever the number of rows; the rows then look up, and
add to, this index in memory (a producer the first row creates is the one the tenth row meets).
"""

from dataclasses import dataclass, field

from django.db.models import Q

from products.imports.references import name_key
from products.imports.rows import RowData
from products.imports.writes import Writes
from products.models import (
    Certificate,
    CycleParticipation,
    Evaluation,
    Product,
    QualityCertification,
    Traceability,
)
from subjects.models import Subject


def record_key(record) -> object:
    """A dictionary key for a record, saved or not yet (an unsaved model is unhashable)."""
    return record.pk if record.pk is not None else ("new", id(record))


@dataclass
class ProductRecords:
    """A product and its records the import reads and changes, each list in the order the
    records were made (as their keys run); participations in their model's order."""

    product: Product
    evaluations: list[Evaluation] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    participations: list[CycleParticipation] = field(default_factory=list)
    standards: set[str] = field(default_factory=set)
    has_traceability: bool = False

    def add_participation(self, participation: CycleParticipation) -> None:
        self.participations.append(participation)
        # The model's order (-cycle_year, pk); new ones after the saved ones, as made.
        self.participations.sort(key=lambda p: (-p.cycle_year, p.pk is None, p.pk or 0))

    def snapshot(self):
        """Everything a row may change here, to put back if the row is refused."""
        records = [self.product, *self.evaluations, *self.certificates, *self.participations]
        return ([(record, record.__dict__.copy(), dict(record._state.fields_cache))
                 for record in records],
                list(self.evaluations), list(self.certificates), list(self.participations),
                set(self.standards), self.has_traceability)

    def restore(self, snapshot) -> None:
        states, evaluations, certificates, participations, standards, traceability = snapshot
        for record, values, cache in states:
            record.__dict__.clear()
            record.__dict__.update(values)
            record._state.fields_cache = cache
        self.evaluations, self.certificates = evaluations, certificates
        self.participations, self.standards = participations, standards
        self.has_traceability = traceability


class Loaded:
    """The index of producers and products an import's rows look up."""

    def __init__(self, rows: list[RowData], writes: Writes, *, lock: bool = False):
        self.lock = lock
        self.subject_by_number: dict[str, Subject] = {}
        self.subject_by_name: dict[tuple[int, str], Subject] = {}
        self.products: dict[tuple, ProductRecords] = {}
        self.archived: dict[tuple, Product] = {}
        self._added: list[tuple[dict, object]] = []
        numbers = {data.registration_number for data in rows if data.registration_number}
        names = {name_key(data.subject_name) for data in rows}
        # Archived producers count too: one of them is restored rather than entered again.
        for subject in Subject.all_objects.filter(
                Q(registration_number__in=numbers) | Q(name_key__in=names)).order_by():
            if subject.registration_number:
                self.subject_by_number[subject.registration_number] = subject
            self.subject_by_name[(subject.district_id, subject.name_key)] = subject
        subjects = {subject.pk: subject for subject in self.subject_by_name.values()}
        self._load_products(subjects, {name_key(data.product_name) for data in rows}, writes)

    def _load_products(self, subjects: dict, names: set[str], writes: Writes) -> None:
        by_pk = {}
        products = Product.all_objects.filter(subject_id__in=subjects, name_key__in=names)
        if self.lock:
            # Locked until the import commits, before their records are read: an officer's
            # change to one of them (products.services.history locks the product too) waits
            # for the import and derives from its result, and the import never writes over a
            # change it did not read.
            products = products.select_for_update(of=("self",))
        for product in (products.select_related("group__parent", "district", "commune")
                        .order_by("pk")):
            product.subject = subjects[product.subject_id]
            writes.loaded(product)
            if product.is_archived:
                self.archived[(product.subject_id, product.name_key)] = product
            else:
                by_pk[product.pk] = self.products[(product.subject_id, product.name_key)] = (
                    ProductRecords(product))
        for model, into in ((Evaluation, "evaluations"), (Certificate, "certificates")):
            for record in model.objects.filter(product_id__in=by_pk).order_by("pk"):
                record.product = by_pk[record.product_id].product
                writes.loaded(record)
                getattr(by_pk[record.product_id], into).append(record)
        for participation in CycleParticipation.objects.filter(product_id__in=by_pk):
            participation.product = by_pk[participation.product_id].product
            writes.loaded(participation)
            by_pk[participation.product_id].participations.append(participation)
        for product_id, standard in QualityCertification.objects.filter(
                product_id__in=by_pk).values_list("product_id", "standard"):
            by_pk[product_id].standards.add(standard)
        for product_id in Traceability.objects.filter(product_id__in=by_pk).values_list(
                "product_id", flat=True).distinct():
            by_pk[product_id].has_traceability = True

    # Lookups, as subjects.services.subject_find_duplicate and the product's name ------------

    def subject(self, *, name: str, district, registration_number: str) -> Subject | None:
        """The producer with this registration number (anywhere), else of this name in this
        district."""
        if registration_number and registration_number in self.subject_by_number:
            return self.subject_by_number[registration_number]
        return self.subject_by_name.get((district.pk, name_key(name)))

    def product(self, subject: Subject, name: str) -> ProductRecords | None:
        return self.products.get((record_key(subject), name_key(name)))

    def archived_twin(self, product: Product) -> Product | None:
        if product.subject.pk is None:
            return None
        return self.archived.get((product.subject.pk, product.name_key))

    # Additions, undone when their row is refused ---------------------------------------------

    def add_subject(self, subject: Subject) -> None:
        if subject.registration_number:
            self._add(self.subject_by_number, subject.registration_number, subject)
        self._add(self.subject_by_name, (subject.district_id, subject.name_key), subject)

    def add_product(self, records: ProductRecords) -> None:
        product = records.product
        self._add(self.products, (record_key(product.subject), product.name_key), records)

    def _add(self, index: dict, key, value) -> None:
        index[key] = value
        self._added.append((index, key))

    def mark(self) -> int:
        return len(self._added)

    def undo(self, mark: int) -> None:
        for index, key in reversed(self._added[mark:]):
            del index[key]
        del self._added[mark:]
