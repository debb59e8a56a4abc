"""Benchmark of the pages and reports that grow with the registry.

Builds a registry of N products (default: 2,000 and 20,000, the national-scale figure of
DOMAIN.md §7) in a throwaway database, then prints, for each page, the median time of a few
requests and the number of SQL queries. Figures, not pass/fail: compare runs before and after a
change.

    python benchmarks/run.py [--sizes 2000 20000] [--repeat 5]

DATABASE_URL picks the database (default: a temporary SQLite file); the data is generated in
bulk, not through the services, so that 20,000 products take seconds to create.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django():
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_portal.settings")
    os.environ.setdefault("DJANGO_DEBUG", "True")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_backan_2024", stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123


def grow_registry(target: int):
    """Add products (a third of them recognised, with a certificate) until there are `target`."""
    from dateutil.relativedelta import relativedelta

    from ocop_portal.models import Commune
    from ocop_portal.text import name_key, search_key
    from products.models import Certificate, Evaluation, Product, ProductGroup
    from subjects.models import Subject

    existing = Product.objects.count()
    if existing >= target:
        return
    communes = list(Commune.objects.select_related("district"))
    groups = list(ProductGroup.objects.filter(criteria_version="148/2023"))
    start = existing
    subjects = Subject.objects.bulk_create([
        Subject(name=f"Hợp tác xã thử {n}", subject_type="htx",
                district=communes[n % len(communes)].district,
                commune=communes[n % len(communes)], first_year_in_programme=2019 + n % 7,
                name_key=name_key(f"Hợp tác xã thử {n}"),
                search_text=search_key(f"Hợp tác xã thử {n}"))
        for n in range(start // 2, target // 2)
    ])
    products = Product.objects.bulk_create([
        Product(name=f"Sản phẩm thử {n}", subject=subjects[(n - start) // 2 % len(subjects)],
                group=groups[n % len(groups)], district=communes[n % len(communes)].district,
                commune=communes[n % len(communes)], first_cycle_year=2019 + n % 7,
                name_key=name_key(f"Sản phẩm thử {n}"),
                search_text=search_key(f"Sản phẩm thử {n}"))
        for n in range(start, target)
    ])
    recognised = products[::3]
    evaluations = Evaluation.objects.bulk_create([
        Evaluation(product=p, cycle_year=2021 + i % 4, level="huyen", stars=3 + i % 3,
                   decision_number=f"{i}/QĐ-UBND",
                   decision_date=dt.date(2021 + i % 4, 1 + i % 12, 1 + i % 28),
                   criteria_version="148/2023")
        for i, p in enumerate(recognised)
    ])
    certificates = Certificate.objects.bulk_create([
        Certificate(evaluation=e, product=e.product, valid_from=e.decision_date,
                    valid_to=e.decision_date + relativedelta(months=36))
        for e in evaluations
    ])
    for certificate in certificates:
        certificate.product.current_certificate = certificate
    Product.objects.bulk_update([c.product for c in certificates], ["current_certificate"],
                                batch_size=1000)


def measure(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries = len(captured)
    return statistics.median(timings) * 1000, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()

    from django.test import Client
    from django.test.utils import setup_test_environment

    from ocop_portal.models import Role, User
    from products.models import Product

    setup_test_environment()
    staff, _ = User.objects.get_or_create(username="bench_tinh", role=Role.PROVINCE_STAFF)
    client = Client()
    client.force_login(staff)
    print(f"{'products':>9}  {'page':<52} {'median ms':>10} {'queries':>8}")
    for size in args.sizes:
        grow_registry(size)
        product = Product.objects.order_by("pk").first()
        pages = [
            "/products/",
            "/products/?q=san+pham+thu+1&stars=4",
            f"/products/{product.pk}/",
            "/subjects/",
            "/dashboard/?year=2024",
            "/dashboard/district/064/?year=2024",
            "/products/?indicator=new_products_3star&year=2024",
        ]
        for url in pages:
            median, queries = measure(client, url, args.repeat)
            print(f"{size:>9}  {url:<52} {median:>10.1f} {queries:>8}")


if __name__ == "__main__":
    main()
