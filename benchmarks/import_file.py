"""The bench's import workbook: 5,000 rows of template v1 (products.imports.columns), new
products of new producers across the districts and communes, three in five with a decision."""

import datetime as dt
import io
import random

ROWS = 5000


def rows(seed: int = 2024, count: int = ROWS) -> list[dict]:
    from ocop_portal.models import Commune
    from ocop_portal.units import DISTRICTS_END
    from products.models import CriteriaVersion, ProductGroup

    rng = random.Random(seed)
    communes = list(Commune.objects.valid_on(DISTRICTS_END).select_related("district")
                    .order_by("code"))
    groups = list(ProductGroup.objects.filter(criteria_version=CriteriaVersion.QD_148_2023,
                                              parent__isnull=True).values_list("name", flat=True))
    result = []
    for n in range(count):
        subject = n // 2
        commune = communes[subject % len(communes)]
        row = {
            "product_name": f"Sản phẩm nhập thử {n} {commune.name}",
            "subject_name": f"Hợp tác xã nhập thử {subject}",
            "subject_type": "Hợp tác xã", "registration_number": f"48{subject:08d}",
            "district": commune.district.name, "commune": commune.name,
            "group": groups[n % len(groups)], "first_year": 2024,
            "traceability": "Có" if rng.random() < 0.3 else "Không",
            "standards": "VietGAP" if rng.random() < 0.2 else "",
        }
        if rng.random() < 0.6:
            stars = rng.choice([3, 3, 3, 4, 5])
            low = {3: 50, 4: 70, 5: 90}[stars]
            day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 360))
            row.update({"stars": stars, "score": low + rng.randint(0, 9),
                        "decision_number": f"{n}/QĐ-NHAP", "decision_date": f"{day:%d/%m/%Y}"})
        result.append(row)
    return result


def workbook(seed: int = 2024, count: int = ROWS) -> bytes:
    """The workbook's bytes: the template's header in row 1, a product a row."""
    from openpyxl import Workbook

    from products.imports.columns import COLUMNS

    book = Workbook()
    sheet = book.active
    sheet.title = "Sản phẩm"
    sheet.append([column.title for column in COLUMNS])
    for row in rows(seed, count):
        sheet.append([row.get(column.key, "") for column in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
