"""National-scale benchmark: every page, export and import beside its floor (issue 12).

For each size (default 2,000 and 20,000 products, DOMAIN.md §7) the registry is emptied and
rebuilt in bulk from a fixed seed (benchmarks.dataset), then each item is run `--repeat` times
beside its floor (benchmarks.floors) in the same process: the medians, their ratio, the portal's
number of SQL queries, and the peak of Python memory allocated during one more run of each
(tracemalloc). One table is printed and the same written as JSON under output/bench/.

    python benchmarks/run.py [--sizes 2000 20000] [--repeat 5] [--only dashboard list ...]
                             [--skip-throughput]

DATABASE_URL picks the database: by default a temporary SQLite file; a PostgreSQL URL names a
database of the bench's own (e.g. .../ocop_bench), dropped and created again at the start so
that runs repeat. Items: see ITEM_NAMES (`--only` takes names or their prefixes).
"""

import argparse
import datetime as dt
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUTPUT = ROOT / "output" / "bench"
YEAR = 2024
MONTH = dt.date(2024, 5, 1)
DISTRICT = "064"  # Chợ Đồn


def configure_environment() -> None:
    """The production settings (debug off), on this machine: no .env, no HTTPS redirect."""
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="ocop-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_portal.settings")
    os.environ["DJANGO_ENV_FILE"] = ""
    os.environ.setdefault("DJANGO_DEBUG", "False")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "False")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")


def recreate_postgres_database(url: str) -> None:
    """Drop and create the bench's PostgreSQL database, so that every run starts empty."""
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in ("postgres", "template0", "template1"):
        raise SystemExit("DATABASE_URL must name a database of the bench's own (ocop_bench).")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            psycopg.sql.Identifier(name)))
        conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


def setup_django() -> None:
    configure_environment()
    if os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        recreate_postgres_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Debug off serves static files through their manifest, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_backan_2024", stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123


# Measuring ------------------------------------------------------------------------------------

class QueryCounter:
    """Counts the SQL statements run on the default connection (a wrapper, no log kept)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@dataclass
class Side:
    """One side of an item (the portal or its floor) measured at one size."""

    times: list[float] = field(default_factory=list)
    queries: int = 0
    peak_mb: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def _one_run(action, prepare=None) -> tuple[float, int]:
    from django.db import connection

    if prepare:
        prepare()
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        action()
        elapsed = time.perf_counter() - started
    return elapsed, counter.count


# Above this median the extra memory run is skipped (tracemalloc would double a long item).
MEMORY_MAX_SECONDS = 90


def measure(action, *, repeat: int, prepare=None, memory: bool = True) -> Side:
    side = Side()
    for _ in range(repeat):
        elapsed, side.queries = _one_run(action, prepare)
        side.times.append(elapsed)
    if memory and side.median <= MEMORY_MAX_SECONDS:
        # A run of its own: tracemalloc slows Python down, so it is never timed.
        if prepare:
            prepare()
        tracemalloc.start()
        action()
        side.peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return side


# The bench ------------------------------------------------------------------------------------

@dataclass
class Item:
    name: str
    portal: object
    floor: object
    prepare: object = None
    check: object = None
    repeat: int | None = None


class Bench:
    def __init__(self, args):
        from django.test import Client

        from ocop_portal.models import Role, User

        self.args = args
        self.user, _ = User.objects.get_or_create(
            username="bench_tinh", defaults={"role": Role.PROVINCE_STAFF})
        self.client = Client()
        self.client.force_login(self.user)
        from django.utils import timezone

        self.today = timezone.localdate()
        self.tmp = Path(tempfile.mkdtemp(prefix="ocop-bench-files-"))
        self.checks: list[str] = []

    # HTTP through the test client ---------------------------------------------------------

    def get(self, url: str):
        response = self.client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    def floor_get(self, url: str):
        from django.test import override_settings

        with override_settings(ROOT_URLCONF="benchmarks.floors"):
            return self.get(url)

    # Items --------------------------------------------------------------------------------

    def items(self) -> list[Item]:
        from benchmarks import portal

        cold = portal.cold_figures
        items = [
            Item("dashboard: province", lambda: self.get(f"/dashboard/?year={YEAR}"),
                 lambda: self.floor_figures(None), prepare=cold, check=self.check_province),
            Item("dashboard: district", lambda: self.get(
                f"/dashboard/district/{DISTRICT}/?year={YEAR}"),
                lambda: self.floor_figures(self.district_id), prepare=cold,
                check=self.check_district),
        ]
        lists = [
            ("products: page 1", "/products/", {}),
            ("products: filtered", f"/products/?district={DISTRICT}&stars=4",
             {"district": DISTRICT, "stars": "4"}),
            ("products: searched", "/products/?q=tra+shan+tuyet", {"q": "tra shan tuyet"}),
            ("products: drill-through",
             f"/products/?indicator=new_products_3star&year={YEAR}",
             {"indicator": "new_products_3star", "year": str(YEAR)}),
            ("producers: page 1", "/subjects/", {}),
            ("producers: filtered", f"/subjects/?district={DISTRICT}&subject_type=htx",
             {"district": DISTRICT, "subject_type": "htx"}),
            ("producers: searched", "/subjects/?q=hop+tac+xa+che", {"q": "hop tac xa che"}),
            ("producers: drill-through",
             f"/subjects/?indicator=linkage_subjects&year={YEAR}",
             {"indicator": "linkage_subjects", "year": str(YEAR)}),
        ]
        for name, url, params in lists:
            kind = "products" if name.startswith("products") else "subjects"
            query = url.partition("?")[2]
            floor_url = f"/__bench_floor__/{kind}/?{query}"
            items.append(Item(f"list: {name}", lambda url=url: self.get(url),
                              lambda floor_url=floor_url: self.floor_get(floor_url),
                              check=lambda url=url, kind=kind, params=params:
                              self.check_list(url, kind, params)))
        items += self.report_items(portal)
        items += self.import_items(portal)
        return items

    def report_items(self, portal) -> list[Item]:
        from benchmarks import floors

        out = self.tmp
        return [
            Item("export: products", lambda: portal.product_export(self.user, out / "p.xlsx"),
                 lambda: self.save(out / "pf.xlsx", floors.write_only(
                     [("Sản phẩm OCOP", floors.product_export_rows(self.today))])),
                 check=self.check_product_export),
            Item("export: producers", lambda: portal.subject_export(self.user, out / "s.xlsx"),
                 lambda: self.save(out / "sf.xlsx", floors.write_only(
                     [("Chủ thể OCOP", floors.subject_export_rows())]))),
            Item("export: media items", lambda: portal.media_export(self.user, out / "m.xlsx"),
                 lambda: self.save(out / "mf.xlsx", floors.write_only(
                     [("Tin bài truyền thông", floors.media_export_rows())]))),
            Item("appendix 1", lambda: portal.appendix(self.user, 1, YEAR, out / "a1.xlsx"),
                 lambda: self.save(out / "a1f.xlsx", floors.appendix(1, YEAR, self.today)),
                 check=lambda: self.check_appendix(1)),
            Item("appendix 2", lambda: portal.appendix(self.user, 2, YEAR, out / "a2.xlsx"),
                 lambda: self.save(out / "a2f.xlsx", floors.appendix(2, YEAR, self.today)),
                 check=lambda: self.check_appendix(2)),
            Item("monthly report", lambda: portal.monthly_report(MONTH, out / "r.xlsx"),
                 lambda: self.save(out / "rf.xlsx", floors.monthly_report(MONTH)),
                 check=self.check_monthly),
        ]

    def import_items(self, portal) -> list[Item]:
        from benchmarks import floors, import_file

        content = import_file.workbook(seed=self.args.seed)
        repeat = self.args.import_repeat
        return [
            Item("import 5,000 rows: dry run",
                 lambda: portal.import_rows(self.user, content, dry_run=True),
                 lambda: floors.parse_import(content), repeat=repeat),
            Item("import 5,000 rows: real",
                 lambda: portal.import_rows(self.user, content, dry_run=False),
                 lambda: floors.parse_import(content), repeat=repeat),
        ]

    @staticmethod
    def save(path: Path, content: bytes) -> None:
        path.write_bytes(content)

    # Floors and checks --------------------------------------------------------------------

    @property
    def district_id(self) -> int:
        from ocop_portal.models import District

        return District.objects.get(code=DISTRICT).pk

    def floor_figures(self, district_id):
        from benchmarks import floors

        return floors.figures(YEAR, self.today, district_id)

    def check_province(self):
        from benchmarks import checks

        self.checks += checks.dashboard(YEAR, self.today, None)

    def check_district(self):
        from benchmarks import checks

        self.checks += checks.dashboard(YEAR, self.today, DISTRICT)

    def check_list(self, url, kind, params):
        from benchmarks import checks

        self.checks += checks.list_rows(self.get(url).content.decode(), kind, params)

    def check_product_export(self):
        from benchmarks import checks

        self.checks += checks.product_export(self.user, self.today)

    def check_appendix(self, number):
        from benchmarks import checks

        self.checks += checks.appendix(number, YEAR, self.today)

    def check_monthly(self):
        from benchmarks import checks

        self.checks += checks.monthly(MONTH)

    # Running ------------------------------------------------------------------------------

    def run(self, size: int, only: list[str]) -> dict:
        results = {}
        for item in self.items():
            if only and not any(item.name.startswith(prefix) for prefix in only):
                continue
            repeat = item.repeat or self.args.repeat
            if item.check:
                item.check()
            item_portal = measure(item.portal, repeat=repeat, prepare=item.prepare,
                                  memory=not self.args.no_memory)
            item_floor = measure(item.floor, repeat=repeat, prepare=item.prepare,
                                 memory=not self.args.no_memory)
            results[item.name] = {"portal": item_portal, "floor": item_floor}
            print(f"  [{size:>6}] {item.name:<36} portal {item_portal.median:8.3f} s "
                  f"({item_portal.queries} queries)  floor {item_floor.median:8.3f} s",
                  flush=True)
        return results


# Output -------------------------------------------------------------------------------------

def _seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def table(results: dict, sizes: list[int], throughput: dict | None) -> list[list[str]]:
    largest = max(sizes)
    rows = []
    names = list(dict.fromkeys(name for size in sizes for name in results.get(size, {})))
    for name in names:
        main = results.get(largest, {}).get(name) or next(
            results[s][name] for s in sorted(sizes, reverse=True) if name in results[s])
        portal_side, floor_side = main["portal"], main["floor"]
        ratio = portal_side.median / floor_side.median if floor_side.median else None
        queries = [str(results[s][name]["portal"].queries) if name in results.get(s, {})
                   else "–" for s in sizes]
        memory = " / ".join("–" if side.peak_mb is None else f"{side.peak_mb:.1f}"
                            for side in (portal_side, floor_side)) + " MB"
        rows.append([name, _seconds(portal_side.median), _seconds(floor_side.median),
                     f"{ratio:.1f}×" if ratio else "–", *queries, memory])
    if throughput:
        rows.append([f"throughput, {throughput['clients']} clients",
                     f"{throughput['dashboard']:.1f} req/s", f"{throughput['healthz']:.1f} req/s",
                     f"{throughput['ratio']:.2f}", *["–"] * len(sizes), "–"])
    return rows


def print_table(rows: list[list[str]], sizes: list[int]) -> None:
    header = ["item", f"portal (median, {max(sizes):,})", "floor (median)", "ratio",
              *[f"queries @{s:,}" for s in sizes], "peak memory portal / floor"]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*header))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line.format(*row))


def write_json(results, sizes, throughput, builds, rows) -> Path:
    from django.db import connection
    from django.utils import timezone

    OUTPUT.mkdir(parents=True, exist_ok=True)
    data = {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "database": connection.vendor, "cores": os.cpu_count(), "sizes": sizes,
        "memory": "tracemalloc peak of one extra, untimed run (Python allocations), MB",
        "builds": builds, "throughput": throughput, "table": rows,
        "items": {str(size): {name: {side: {"median_s": values[side].median,
                                            "times_s": values[side].times,
                                            "queries": values[side].queries,
                                            "peak_mb": values[side].peak_mb}
                                     for side in ("portal", "floor")}
                              for name, values in items.items()}
                  for size, items in results.items()},
    }
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = OUTPUT / f"bench-{connection.vendor}-{stamp}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                    encoding="utf-8")
    (OUTPUT / f"latest-{connection.vendor}.json").write_text(path.read_text(encoding="utf-8"),
                                                             encoding="utf-8")
    return path


ITEM_NAMES = ("dashboard", "list", "export", "appendix", "monthly report", "import")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--import-repeat", type=int, default=None,
                        help="runs of each import (default: --repeat); the slowest item")
    parser.add_argument("--only", nargs="+", default=[],
                        help=f"run only the items starting with these ({', '.join(ITEM_NAMES)})")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--no-memory", action="store_true",
                        help="skip the extra tracemalloc run of each item")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--throughput-seconds", type=float, default=5.0)
    args = parser.parse_args()
    args.import_repeat = args.import_repeat or args.repeat
    setup_django()

    from django.db import connection

    from benchmarks import dataset, throughput

    sizes = sorted(args.sizes)
    results, builds, served = {}, {}, None
    for size in sizes:
        dataset.clear()
        summary = dataset.build(size, seed=args.seed)
        builds[size] = summary
        print(f"{size:,} products built on {connection.vendor} in {summary['seconds']} s: "
              f"{summary['rows']}", flush=True)
        bench = Bench(args)
        results[size] = bench.run(size, args.only)
        for message in bench.checks:
            print(f"  check: {message}")
        if size == sizes[-1] and not args.skip_throughput and (
                not args.only or "throughput" in args.only):
            served = throughput.measure(bench.client, seconds=args.throughput_seconds)
    rows = table(results, sizes, served)
    print()
    print(f"Cores: {os.cpu_count()}; database: {connection.vendor}. Absolute times are not "
          "comparable across machines (or with other load on this one): compare the ratios.")
    print("Memory: tracemalloc peak of one extra, untimed run (Python allocations only).")
    print_table(rows, sizes)
    print(f"\nWritten: {write_json(results, sizes, served, builds, rows)}")


if __name__ == "__main__":
    main()
