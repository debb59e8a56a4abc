"""The bench's equality assertions: each floor gives what the portal gives, or the bench stops.

The portal's side is read through its selectors (the functions behind `indicator_report`, the
dashboards' breakdowns and cycle, the appendix's list, the monthly report's figures), untimed."""

from django.utils.html import escape

from benchmarks import floors


class Mismatch(AssertionError):
    pass


def _equal(what: str, portal, floor) -> None:
    if portal != floor:
        raise Mismatch(f"{what}: portal {portal!r} != floor {floor!r}")


def dashboard(year: int, today, district_code: str | None) -> list[str]:
    """Every figure of the dashboard (indicators, quotas, media months, stars, groups, radar,
    pipeline, stage shares) equals the hand-written SQL's."""
    from ocop_portal.models import District
    from targets.indicators.cycle import cycle_pipeline, stage_shares
    from targets.selectors import indicator_breakdowns, indicator_progress, indicator_report_data

    district = District.objects.get(code=district_code) if district_code else None
    floor = floors.figures(year, today, district.pk if district else None)
    progress = indicator_progress(year=year, today=today, also_district=district)
    report = indicator_report_data(progress, district_code=district_code)
    ids = {d.code: d.pk for d in progress.districts}
    compared = 0
    for entry in report["indicators"]:
        code = entry["code"]
        for row in entry["districts"]:
            pk = ids[row["code"]]
            if code == "media_items_monthly":
                actual = sum(floor["media"].get(pk, [0] * 12))
            else:
                actual = floor["indicators"][code].get(pk, 0)
                _equal(f"{code} quota {row['code']}", row["quota"],
                       floor["quotas"].get((code, pk)))
            _equal(f"{code} {row['code']}", row["actual"], actual)
            compared += 2
        if district is None and code == "media_items_monthly":
            months = [sum(counts[m] for counts in floor["media"].values()) for m in range(12)]
            _equal("media months", [m["items"] for m in entry["months"]], months)
            compared += 12
        elif district is None:
            _equal(f"{code} total", entry["actual"], sum(floor["indicators"][code].values()))
            compared += 1
    codes = {pk: code for code, pk in ids.items()}
    breakdowns = indicator_breakdowns(year=year, today=today)
    wanted = [district_code] if district_code else list(ids)
    numbers = [("recognised", breakdowns.recognised, floor["breakdowns"]["recognised"])]
    numbers += [(b.code, b, floor["breakdowns"]["stars"].get(int(b.code.split(":")[1]), {}))
                for b in breakdowns.stars]
    numbers += [(b.code, b, floor["breakdowns"]["groups"].get(int(b.code.split(":")[1]), {}))
                for b in breakdowns.groups]
    numbers += [(b.code, b, floor["breakdowns"]["radar"][b.code]) for b in breakdowns.radar]
    for code, breakdown, by_district in numbers:
        for wanted_code in wanted:
            _equal(f"{code} {wanted_code}", breakdown.count(wanted_code),
                   by_district.get(ids[wanted_code], 0))
            compared += 1
    pipeline = cycle_pipeline(year, today).counts
    pipeline = {(codes.get(d), position, kind): n for (d, position, kind), n in pipeline.items()
                if district is None or d == district.pk}
    _equal("pipeline", pipeline, {(codes.get(d), position, kind): n
                                  for (d, position, kind), n in floor["pipeline"].items()})
    compared += len(pipeline)
    shares = stage_shares(year)
    for pk, stages in floor["shares"].items():
        for stage, (reached, recognised) in stages.items():
            share = shares.districts[pk][stage]
            _equal(f"share {stage} {codes.get(pk)}", (share.reached, share.recognised),
                   (reached, recognised))
            compared += 1
    where = f"district {district_code}" if district_code else "province"
    return [f"dashboard ({where}): {compared} figures equal to the hand-written SQL"]


def list_rows(html: str, kind: str, params: dict) -> list[str]:
    """The bare view's 50 rows are the rows the portal's page shows."""
    rows = (floors.bare_product_rows(params) if kind == "products"
            else floors.bare_subject_rows(params))
    missing = [row[0] for row in rows if str(escape(row[0])) not in html]
    if missing:
        raise Mismatch(f"{kind} {params}: the portal's page lacks {missing[:3]}")
    return [f"list {kind} {params or ''}: the {len(rows)} rows of the bare view are on the page"]


def product_export(user, today) -> list[str]:
    from products.selectors import product_list_for_user

    portal = product_list_for_user(user).count()
    floor = sum(1 for _ in floors.product_export_rows(today))
    _equal("product export rows", portal, floor)
    return [f"product export: {floor} rows on both sides"]


def appendix(number: int, year: int, today) -> list[str]:
    """The appendix's figures and its list of counted records (with their evidence) are the
    floor's, row for row."""
    from targets.appendix import appendix_data, counted_rows
    from targets.selectors import plan_get

    data = appendix_data(number=number, plan=plan_get(year), today=today)
    codes = [item.code for item in data.items]
    portal = list(counted_rows(data))
    floor = floors.appendix_list_rows(year, today, codes)
    for index, (mine, theirs) in enumerate(zip(portal, floor, strict=False)):
        _equal(f"appendix {number} list row {index + 1}", list(mine), list(theirs))
    _equal(f"appendix {number} list rows", len(portal), len(floor))
    table = floors.district_table(year, today, codes)
    actual = [[row[3 + 3 * i] for i in range(len(codes))] for row in table]
    expected = [[item.districts[d.code].actual for item in data.items]
                for d in data.progress.districts]
    expected.append([item.total.actual for item in data.items])
    _equal(f"appendix {number} table", actual, expected)
    return [f"appendix {number}: table and {len(floor)} listed records equal"]


def monthly(month) -> list[str]:
    from targets.monthly import month_figures

    figures = month_figures(month)
    lists = floors.monthly_lists(month)
    _equal("monthly new products", sorted(p.pk for p in figures.new_products), lists["new"])
    _equal("monthly decisions", [e.pk for e in figures.decisions],
           [row[0] for row in lists["decisions"]])
    _equal("monthly media items", [i.pk for i in figures.media_items],
           [row[0] for row in lists["media"]])
    _equal("monthly expiring", [p.pk for p in figures.expiring],
           [row[0] for row in lists["expiring"]])
    return [f"monthly report {month:%m/%Y}: {len(lists['new'])} new products, "
            f"{len(lists['decisions'])} decisions, {len(lists['media'])} media items, "
            f"{len(lists['expiring'])} expiring certificates equal"]
