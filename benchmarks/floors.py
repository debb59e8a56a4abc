# ruff: noqa: S608 - the SQL is assembled from constants of this module; values go as parameters
"""What each item of the bench is measured against: the least work that gives the same result.

- Dashboards: hand-written SQL computing the same figures (`figures`), one query per family of
  numbers, for the province or narrowed to one district.
- Lists: a bare view (`bare_list`) fetching the same 50 rows with a minimal query and rendering
  them as a plain HTML table through a trivial template; `urlpatterns` serves it, after the
  portal's own URLs, through the same test client and middleware.
- Exports, appendices, the monthly report: the same rows from a plain query written by openpyxl
  in write-only mode (`write_only`).
- Import: openpyxl's read-only parse of the same file (`parse_import`).

The SQL is portable (SQLite and PostgreSQL); dates and times are passed through the backend's
own adapters.
"""

import datetime as dt
import io
import os
from collections import Counter, defaultdict

from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from ocop_portal.domain import year_span
from ocop_portal.text import search_terms

ADVANCED = ("vietgap", "vietgahp", "globalgap", "huu_co", "iso22000", "fssc22000", "haccp",
            "iso9001", "gmp")
STAGES = (("central_round_on", "cap_trung_uong"), ("province_round_on", "cap_tinh"),
          ("district_round_on", "cap_huyen"), ("plan_on", "phuong_an"))
STAGE_FIELDS = (("dang_ky", "registered_on"), ("phuong_an", "plan_on"),
                ("cap_huyen", "district_round_on"), ("cap_tinh", "province_round_on"),
                ("cap_trung_uong", "central_round_on"))


def _d(day: dt.date):
    return connection.ops.adapt_datefield_value(day)


def _t(moment: dt.datetime):
    return connection.ops.adapt_datetimefield_value(moment)


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _where_district(alias: str, district_id: int | None) -> tuple[str, list]:
    if district_id is None:
        return "", []
    return f" AND {alias}.district_id = %s", [district_id]


# The sets of records behind each indicator: (SQL selecting id and district_id, params).

def indicator_sets(year: int, as_of: dt.date, district_id: int | None = None) -> dict:
    start, end = year_span(year, as_of)
    s, e, jan1 = _d(start), _d(end), _d(dt.date(year, 1, 1))
    pw, pp = _where_district("p", district_id)
    sw, sp = _where_district("s", district_id)
    in_force = ("EXISTS (SELECT 1 FROM products_certificate c WHERE c.product_id = p.id "
                "AND c.valid_from <= %s AND c.valid_to >= %s "
                "AND (c.ended_on IS NULL OR c.ended_on >= %s))")
    in_force_params = [e, s, s]
    first = ("SELECT ev.product_id FROM products_evaluation ev WHERE ev.stars >= 3 "
             "GROUP BY ev.product_id HAVING MIN(ev.decision_date) BETWEEN %s AND %s")
    sets = {
        "new_products_3star": (
            f"SELECT p.id, p.district_id FROM products_product p WHERE p.archived_at IS NULL "
            f"AND p.id IN ({first}){pw}", [s, e, *pp]),
        "consolidated_subjects": (
            "SELECT s.id, s.district_id FROM subjects_subject s WHERE s.archived_at IS NULL "
            "AND EXISTS (SELECT 1 FROM products_evaluation ev JOIN products_product p "
            "ON p.id = ev.product_id WHERE p.subject_id = s.id AND p.archived_at IS NULL "
            "AND ev.stars >= 3 AND ev.decision_date < %s) "
            "AND EXISTS (SELECT 1 FROM subjects_supportrecord r WHERE r.subject_id = s.id "
            f"AND r.kind = 'cung_co' AND r.date BETWEEN %s AND %s){sw}", [jan1, s, e, *sp]),
        "new_subjects": (
            "SELECT s.id, s.district_id FROM subjects_subject s WHERE s.archived_at IS NULL "
            "AND s.first_year_in_programme = %s AND EXISTS (SELECT 1 FROM products_product p "
            f"WHERE p.subject_id = s.id AND p.archived_at IS NULL){sw}",
            [year if as_of >= dt.date(year, 1, 1) else -1, *sp]),
        "traceability_products": (
            f"SELECT p.id, p.district_id FROM products_product p WHERE p.archived_at IS NULL "
            f"AND {in_force} AND EXISTS (SELECT 1 FROM products_traceability t "
            "WHERE t.product_id = p.id AND t.started_on <= %s "
            f"AND (t.ended_on IS NULL OR t.ended_on >= %s)){pw}",
            [*in_force_params, e, s, *pp]),
        "linkage_subjects": (
            "SELECT s.id, s.district_id FROM subjects_subject s WHERE s.archived_at IS NULL "
            "AND EXISTS (SELECT 1 FROM subjects_linkage l WHERE l.subject_id = s.id "
            f"AND l.valid_from <= %s AND (l.valid_to IS NULL OR l.valid_to >= %s)){sw}",
            [e, s, *sp]),
        "advanced_qm_products": (
            f"SELECT p.id, p.district_id FROM products_product p WHERE p.archived_at IS NULL "
            f"AND {in_force} AND EXISTS (SELECT 1 FROM products_qualitycertification q "
            "WHERE q.product_id = p.id AND q.issued_on <= %s "
            "AND (q.expires_on IS NULL OR q.expires_on >= %s) "
            f"AND q.standard IN ({', '.join(['%s'] * len(ADVANCED))})){pw}",
            [*in_force_params, e, s, *ADVANCED, *pp]),
    }
    return sets


def _month_bounds(year: int) -> list:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    return [dt.datetime(year + (m // 12), m % 12 + 1, 1, tzinfo=tz) for m in range(13)]


def media_months(year: int, as_of: dt.date, district_id: int | None = None) -> dict:
    """Items published in each month of the year up to `as_of`, by district id (None: none)."""
    from zoneinfo import ZoneInfo

    bounds = _month_bounds(year)
    last = min(bounds[12], dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(),
                                               tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    cases = ", ".join(
        "SUM(CASE WHEN m.published_at >= %s AND m.published_at < %s THEN 1 ELSE 0 END)"
        for _ in range(12))
    params = []
    for month in range(12):
        params += [_t(bounds[month]), _t(bounds[month + 1])]
    mw, mp = _where_district("m", district_id)
    rows = _rows(f"SELECT m.district_id, {cases} FROM communications_mediaitem m "
                 f"WHERE m.archived_at IS NULL AND m.published_at >= %s AND m.published_at < %s"
                 f"{mw} GROUP BY m.district_id",
                 [*params, _t(bounds[0]), _t(last), *mp])
    return {row[0]: [int(n or 0) for n in row[1:]] for row in rows}


def _latest_certificates(day_sql: str) -> str:
    """Each product's latest certificate granted by a day (valid_from <= day), ranked."""
    return ("SELECT c.product_id, c.valid_to, c.ended_on, c.evaluation_id, c.number, "
            "ROW_NUMBER() OVER (PARTITION BY c.product_id ORDER BY c.valid_from DESC, c.id DESC) "
            f"AS rn FROM products_certificate c WHERE c.valid_from <= {day_sql}")


def breakdowns(year: int, as_of: dt.date, district_id: int | None = None) -> dict:
    """Recognised products by district, by stars, by top group; the expiry radar on `as_of`."""
    start, end = year_span(year, as_of)
    s, e = _d(start), _d(end)
    pw, pp = _where_district("p", district_id)
    ranked = _rows(
        "SELECT p.district_id, ev.stars, COALESCE(g.parent_id, g.id), COUNT(*) FROM ("
        "SELECT c.product_id, c.evaluation_id, ROW_NUMBER() OVER (PARTITION BY c.product_id "
        "ORDER BY c.valid_from DESC, c.id DESC) AS rn FROM products_certificate c "
        "WHERE c.valid_from <= %s AND c.valid_to >= %s AND (c.ended_on IS NULL OR "
        "c.ended_on >= %s)) r JOIN products_product p ON p.id = r.product_id "
        "JOIN products_evaluation ev ON ev.id = r.evaluation_id "
        "JOIN products_productgroup g ON g.id = p.group_id "
        f"WHERE r.rn = 1 AND p.archived_at IS NULL{pw} "
        "GROUP BY p.district_id, ev.stars, COALESCE(g.parent_id, g.id)", [e, s, s, *pp])
    stars: dict = defaultdict(Counter)
    groups: dict = defaultdict(Counter)
    recognised: Counter = Counter()
    for district, rank, group, n in ranked:
        stars[rank][district] += n
        groups[group][district] += n
        recognised[district] += n
    day = _d(as_of)
    radar_rows = _rows(
        "SELECT p.district_id, "
        "SUM(CASE WHEN l.valid_to < %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN l.valid_to BETWEEN %s AND %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN l.valid_to BETWEEN %s AND %s THEN 1 ELSE 0 END) "
        f"FROM ({_latest_certificates('%s')}) l JOIN products_product p ON p.id = l.product_id "
        f"WHERE l.rn = 1 AND p.archived_at IS NULL AND (l.ended_on IS NULL OR l.ended_on > %s)"
        f"{pw} GROUP BY p.district_id",
        [day, day, _d(as_of + dt.timedelta(days=30)), day, _d(as_of + dt.timedelta(days=90)),
         day, day, *pp])
    radar = {"expired": Counter(), "expiring_30": Counter(), "expiring_90": Counter()}
    for district, expired, within_30, within_90 in radar_rows:
        radar["expired"][district] += int(expired or 0)
        radar["expiring_30"][district] += int(within_30 or 0)
        radar["expiring_90"][district] += int(within_90 or 0)
    return {"recognised": recognised, "stars": dict(stars), "groups": dict(groups),
            "radar": radar}


def _position_sql(day: str) -> str:
    whens = " ".join(f"WHEN cp.{field} <= {day} THEN '{code}'" for field, code in STAGES)
    return f"CASE WHEN cp.ended_on <= {day} THEN cp.outcome {whens} ELSE 'dang_ky' END"


def pipeline(year: int, as_of: dt.date, district_id: int | None = None) -> Counter:
    """Participations of cycle `year` by (district id, position on `as_of`, kind)."""
    pw, pp = _where_district("p", district_id)
    day = _d(as_of)
    rows = _rows(
        f"SELECT p.district_id, {_position_sql('%s')}, cp.kind, COUNT(*) "
        "FROM products_cycleparticipation cp JOIN products_product p ON p.id = cp.product_id "
        f"WHERE p.archived_at IS NULL AND cp.cycle_year = %s AND cp.registered_on <= %s{pw} "
        f"GROUP BY p.district_id, {_position_sql('%s')}, cp.kind",
        [*[day] * 5, year, day, *pp, *[day] * 5])
    return Counter({(d, position, kind): n for d, position, kind, n in rows})


def stage_shares(year: int, district_id: int | None = None) -> dict:
    """For new products' participations before `year`, by district and stage: (reached,
    first recognised from 3 stars in the cycle's year)."""
    pw, pp = _where_district("p", district_id)
    # The year of the product's first recognition (NULL when never recognised).
    year_of = ("CAST(EXTRACT(YEAR FROM f.first_on) AS INTEGER)"
               if connection.vendor == "postgresql"
               else "CAST(strftime('%%Y', f.first_on) AS INTEGER)")
    columns = []
    for _, field in STAGE_FIELDS:
        columns.append(f"SUM(CASE WHEN cp.{field} IS NOT NULL THEN 1 ELSE 0 END)")
        columns.append(f"SUM(CASE WHEN cp.{field} IS NOT NULL AND {year_of} = cp.cycle_year "
                       "THEN 1 ELSE 0 END)")
    sql = (
        f"SELECT p.district_id, {', '.join(columns)} FROM products_cycleparticipation cp "
        "JOIN products_product p ON p.id = cp.product_id LEFT JOIN (SELECT ev.product_id, "
        "MIN(ev.decision_date) AS first_on FROM products_evaluation ev WHERE ev.stars >= 3 "
        "GROUP BY ev.product_id) f ON f.product_id = cp.product_id "
        f"WHERE cp.cycle_year < %s AND cp.kind = 'moi' AND p.archived_at IS NULL{pw} "
        "GROUP BY p.district_id")
    result = {}
    for row in _rows(sql, [year, *pp]):
        values = [int(v or 0) for v in row[1:]]
        result[row[0]] = {stage: (values[2 * i], values[2 * i + 1])
                          for i, (stage, _) in enumerate(STAGE_FIELDS)}
    return result


def quotas(year: int) -> dict:
    return {(code, district): value for code, district, value in _rows(
        "SELECT i.code, q.district_id, q.value FROM targets_quota q JOIN targets_indicator i "
        "ON i.id = q.indicator_id JOIN targets_plan pl ON pl.id = q.plan_id WHERE pl.year = %s",
        [year])}


def figures(year: int, as_of: dt.date, district_id: int | None = None) -> dict:
    """Every figure of a dashboard by hand-written SQL: the indicators by district, the media
    months, the breakdowns, the cycle's pipeline and its stage shares, the quotas."""
    counts = {}
    for code, (sql, params) in indicator_sets(year, as_of, district_id).items():
        counts[code] = Counter(dict(_rows(
            f"SELECT x.district_id, COUNT(*) FROM ({sql}) x GROUP BY x.district_id", params)))
    return {"indicators": counts, "media": media_months(year, as_of, district_id),
            "breakdowns": breakdowns(year, as_of, district_id),
            "pipeline": pipeline(year, as_of, district_id),
            "shares": stage_shares(year, district_id), "quotas": quotas(year)}


# Lists: a bare view of the same 50 rows.

BARE_TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>{{ title }}</title><table>{% for row in rows %}<tr>"
    "{% for value in row %}<td>{{ value }}</td>{% endfor %}</tr>{% endfor %}</table>")
PAGE = 50


def _first_recognised_ids(year: int):
    from django.db.models import Min

    from products.models import Evaluation

    start, end = year_span(year)
    return (Evaluation.objects.filter(stars__gte=3).values("product_id")
            .annotate(first=Min("decision_date")).filter(first__range=(start, end))
            .values("product_id"))


def bare_product_rows(params) -> list[tuple]:
    from ocop_portal.collation import vietnamese
    from products.models import Product

    products = Product.objects.all()
    if params.get("district"):
        products = products.filter(district__code=params["district"])
    if params.get("stars"):
        products = products.filter(current_certificate__evaluation__stars=params["stars"])
    for word in search_terms(params.get("q", "")):
        products = products.filter(search_text__contains=word)
    if params.get("indicator") == "new_products_3star":
        products = products.filter(pk__in=_first_recognised_ids(int(params["year"])))
    return list(products.order_by(vietnamese("name"), "pk").values_list(
        "name", "subject__name", "group__name", "district__name",
        "current_certificate__evaluation__stars", "current_certificate__valid_to")[:PAGE])


def bare_subject_rows(params) -> list[tuple]:
    from ocop_portal.collation import vietnamese
    from subjects.models import Linkage, Subject

    subjects = Subject.objects.all()
    if params.get("district"):
        subjects = subjects.filter(district__code=params["district"])
    if params.get("subject_type"):
        subjects = subjects.filter(subject_type=params["subject_type"])
    for word in search_terms(params.get("q", "")):
        subjects = subjects.filter(search_text__contains=word)
    if params.get("indicator") == "linkage_subjects":
        start, end = year_span(int(params["year"]))
        subjects = subjects.filter(pk__in=Linkage.objects.filter(valid_from__lte=end).exclude(
            valid_to__lt=start).values("subject_id"))
    rows = list(subjects.order_by(vietnamese("name"), "pk").values_list(
        "pk", "name", "subject_type", "registration_number", "district__name")[:PAGE])
    counts = dict(_count_products([row[0] for row in rows]))
    return [(*row[1:], counts.get(row[0], 0)) for row in rows]


def _count_products(subject_ids):
    from django.db.models import Count

    from products.models import Product

    return (Product.objects.filter(subject_id__in=subject_ids).values("subject_id")
            .annotate(n=Count("pk")).values_list("subject_id", "n"))


def bare_list(request, kind: str):
    rows = bare_product_rows(request.GET) if kind == "products" else bare_subject_rows(
        request.GET)
    return HttpResponse(BARE_TEMPLATE.render({"title": kind, "rows": rows}))


urlpatterns = [
    path("__bench_floor__/<str:kind>/", bare_list),
    path("", include("ocop_portal.urls")),
]


# Workbooks: write-only openpyxl.

def write_only(sheets) -> bytes:
    """A workbook of `sheets` ((title, rows) pairs), written in write-only mode, as bytes. Every
    cell carries one shared named style (font, border, wrapped alignment), the cheapest way
    openpyxl documents to give a table the borders and font a document fit to sign has: the
    portal's tables are styled, so an unstyled floor would measure the styles, not the portal.
    `BENCH_PLAIN_FLOOR=1` writes the values alone."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

    plain = os.environ.get("BENCH_PLAIN_FLOOR") == "1"
    workbook = Workbook(write_only=True)
    thin = Side(style="thin")
    workbook.add_named_style(NamedStyle(
        "body", font=Font(name="Times New Roman", size=11),
        border=Border(left=thin, right=thin, top=thin, bottom=thin),
        alignment=Alignment(vertical="top", wrap_text=True)))
    for title, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        for row in rows:
            if plain:
                sheet.append(row)
                continue
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value)
                cell.style = "body"
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


STATUS_LABELS = {"active": "Còn hiệu lực", "expired": "Hết hiệu lực", "revoked": "Đã thu hồi",
                 "superseded": "Đã được thay thế"}
SUBJECT_TYPE_LABELS = {"htx": "Hợp tác xã", "tht": "Tổ hợp tác", "dn": "Doanh nghiệp",
                       "hkd": "Hộ kinh doanh", "cssx": "Cơ sở sản xuất"}


def product_export_rows(today: dt.date):
    from django.db.models.functions import Coalesce

    from ocop_portal.collation import vietnamese
    from products.models import Product

    rows = (Product.objects.order_by(vietnamese("name"), "pk")
            .annotate(top=Coalesce("group__parent__name", "group__name"))
            .values_list("name", "subject__name", "subject__subject_type", "top",
                         "district__name", "commune__name",
                         "current_certificate__evaluation__stars",
                         "current_certificate__evaluation__decision_number",
                         "current_certificate__evaluation__decision_date",
                         "current_certificate__valid_to", "current_certificate__status",
                         "first_cycle_year"))
    for index, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        status = row[10]
        if status == "active" and row[9] < today:
            status = "expired"
        yield [index, row[0], row[1], SUBJECT_TYPE_LABELS[row[2]], row[3], row[4], row[5] or "",
               row[6], row[7] or "", row[8], row[9],
               STATUS_LABELS[status] if status else "Chưa công nhận", row[11]]


def subject_export_rows():
    from django.db.models import Count

    from ocop_portal.collation import vietnamese
    from products.models import Product
    from subjects.models import Subject

    counts = dict(Product.objects.values("subject_id").annotate(n=Count("pk"))
                  .values_list("subject_id", "n"))
    rows = Subject.objects.order_by(vietnamese("name"), "pk").values_list(
        "pk", "name", "subject_type", "registration_number", "legal_representative", "phone",
        "address", "commune__name", "district__name", "first_year_in_programme",
        "workers_total", "female_led", "ethnic_minority")
    for index, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        yield [index, row[1], SUBJECT_TYPE_LABELS[row[2]], *row[3:7], row[7] or "", row[8],
               row[9], counts.get(row[0], 0), *row[10:]]


def media_export_rows():
    from communications.models import MediaItem

    names = defaultdict(list)
    through = MediaItem.products.through
    for item_id, name in through.objects.values_list("mediaitem_id", "product__name"):
        names[item_id].append(name)
    subject_names = defaultdict(list)
    for item_id, name in MediaItem.subjects.through.objects.values_list("mediaitem_id",
                                                                        "subject__name"):
        subject_names[item_id].append(name)
    rows = MediaItem.objects.order_by("-published_at", "-pk").values_list(
        "pk", "published_at", "title", "kind", "outlet__name", "outlet__level",
        "district__name", "author", "url", "note")
    for index, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        yield [index, row[1].replace(tzinfo=None), row[2], row[3], row[4], row[5],
               row[6] or "Toàn tỉnh", row[7], row[8], ", ".join(sorted(names[row[0]])),
               ", ".join(sorted(subject_names[row[0]])), row[9]]


# Appendices and the monthly report: the same figures by SQL, the same lists by plain queries.

def district_table(year: int, as_of: dt.date, codes: list[str]) -> list[list]:
    """A row a district of the year: the quota, the actual and the ratio of each indicator;
    "Tổng cộng" last."""
    from django.db.models import Q

    from ocop_portal.models import District

    counted = figures(year, as_of)
    quota = counted["quotas"]
    start, end = year_span(year)
    districts = (District.objects.filter(valid_from__lte=end)
                 .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
                 .order_by("code").values_list("pk", "name"))

    def cells(code, key, actuals):
        planned = quota.get((code, key))
        return [planned, actuals, actuals / planned if planned else None]

    rows = []
    for index, (pk, name) in enumerate(districts, start=1):
        row = [index, name]
        for code in codes:
            row += cells(code, pk, counted["indicators"][code].get(pk, 0))
        rows.append(row)
    total = [None, "Tổng cộng"]
    for code in codes:
        total += cells(code, None, sum(counted["indicators"][code].values()))
    return [*rows, total]


def appendix_list_rows(year: int, as_of: dt.date, codes: list[str]) -> list[list]:
    """The records counted for each indicator with what made it count (the appendix's second
    sheet), as the evidence functions word it, by district code and name."""
    from ocop_portal.models import District
    from products.models import Standard

    start, end = year_span(year, as_of)
    s, e = _d(start), _d(end)
    sets = indicator_sets(year, as_of)
    collate = connection.ops.quote_name("vietnamese")
    rank = "ROW_NUMBER() OVER (PARTITION BY {0} ORDER BY {1}) AS rn"
    evidence = {
        "new_products_3star": (
            "SELECT ev.product_id AS rid, ev.decision_number AS x1, ev.stars AS x2, "
            "ev.decision_date AS x3, NULL AS x4, "
            f"{rank.format('ev.product_id', 'ev.decision_date, ev.id')} "
            "FROM products_evaluation ev WHERE ev.stars >= 3", []),
        "consolidated_subjects": (
            "SELECT r.subject_id AS rid, r.content AS x1, r.date AS x2, NULL AS x3, NULL AS x4, "
            f"{rank.format('r.subject_id', 'r.date, r.id')} FROM subjects_supportrecord r "
            "WHERE r.kind = 'cung_co' AND r.date BETWEEN %s AND %s", [s, e]),
        "new_subjects": (
            "SELECT p.subject_id AS rid, p.name AS x1, NULL AS x2, NULL AS x3, NULL AS x4, "
            f"{rank.format('p.subject_id', f'p.name COLLATE {collate}, p.id')} "
            "FROM products_product p WHERE p.archived_at IS NULL", []),
        "traceability_products": (
            "SELECT t.product_id AS rid, t.system AS x1, t.code AS x2, t.started_on AS x3, "
            f"NULL AS x4, {rank.format('t.product_id', 't.started_on, t.id')} "
            "FROM products_traceability t "
            "WHERE t.started_on <= %s AND (t.ended_on IS NULL OR t.ended_on >= %s)", [e, s]),
        "linkage_subjects": (
            "SELECT l.subject_id AS rid, l.contract_number AS x1, l.partner AS x2, "
            "l.valid_from AS x3, l.contract_date AS x4, "
            f"{rank.format('l.subject_id', 'l.valid_from, l.id')} FROM subjects_linkage l "
            "WHERE l.valid_from <= %s AND (l.valid_to IS NULL OR l.valid_to >= %s)", [e, s]),
        "advanced_qm_products": (
            "SELECT q.product_id AS rid, q.standard AS x1, q.standard_detail AS x2, "
            "q.issued_on AS x3, q.number AS x4, "
            f"{rank.format('q.product_id', 'q.issued_on, q.id')} "
            "FROM products_qualitycertification q WHERE q.issued_on <= %s AND (q.expires_on IS "
            f"NULL OR q.expires_on >= %s) AND q.standard IN ({', '.join(['%s'] * len(ADVANCED))})",
            [e, s, *ADVANCED]),
    }
    names = {"new_products_3star": "Sản phẩm mới đạt 3 sao trở lên",
             "consolidated_subjects": "Chủ thể có sản phẩm OCOP được củng cố, phát triển",
             "new_subjects": "Chủ thể mới có sản phẩm tham gia",
             "traceability_products": "Sản phẩm OCOP có truy xuất nguồn gốc",
             "linkage_subjects": "Chủ thể tham gia liên kết sản xuất và tiêu thụ sản phẩm",
             "advanced_qm_products": "Sản phẩm OCOP áp dụng quản lý chất lượng tiên tiến"}
    short_names = {d.name: d.short_name for d in District.objects.all()}
    rows = []
    for code in codes:
        product = code.endswith("products") or code == "new_products_3star"
        sql, params = sets[code]
        table = "products_product" if product else "subjects_subject"
        who = ("JOIN subjects_subject w ON w.id = r.subject_id" if product else "")
        who_column = "w.name" if product else "r.subject_type"
        ev_sql, ev_params = evidence[code]
        first_year = "NULL" if product else "r.first_year_in_programme"
        query = (
            f"SELECT d.name, r.name, {who_column}, {first_year}, ev.x1, ev.x2, ev.x3, ev.x4 "
            f"FROM ({sql}) k JOIN {table} r ON r.id = k.id "
            f"JOIN ocop_portal_district d ON d.id = r.district_id {who} "
            f"LEFT JOIN ({ev_sql}) ev ON ev.rid = k.id AND ev.rn = 1 "
            f"ORDER BY d.code, r.name COLLATE {collate}, r.id")
        for district, name, owner, year_in, *values in _rows(query, [*params, *ev_params]):
            basis, day = _evidence(code, year_in, *values, standard=Standard)
            rows.append([names[code], short_names[district], name,
                         owner if product else SUBJECT_TYPE_LABELS[owner], basis, day])
    return rows


def _evidence(code, first_year, x1, x2, x3, x4, *, standard):
    """The words of targets.indicators.evidence for one record's first evidence row."""
    if code == "new_subjects":
        text = f"Năm tham gia Chương trình OCOP: {first_year}"
        return (f"{text}; sản phẩm: {x1}" if x1 is not None else text), None
    if x1 is None and x3 is None:
        return "", None
    if code == "new_products_3star":
        return f"Quyết định số {x1} công nhận {x2} sao (lần đầu)", x3
    if code == "consolidated_subjects":
        return f"Hỗ trợ củng cố, mở rộng quy mô sản xuất: {x1}", x2
    if code == "traceability_products":
        return f"Truy xuất nguồn gốc: {f'{x1} {x2}'.strip()}", x3
    if code == "linkage_subjects":
        signed = f" ngày {x4:%d/%m/%Y}" if x4 else ""
        return f"Hợp đồng liên kết số {x1 or '(không số)'}{signed} với {x2}", x3
    label = x2 or standard(x1).label
    return f"Chứng nhận {label}{f' số {x4}' if x4 else ''}", x3


def appendix(number: int, year: int, as_of: dt.date) -> bytes:
    codes = {1: ["new_products_3star", "consolidated_subjects", "new_subjects"],
             2: ["traceability_products", "linkage_subjects", "advanced_qm_products"]}[number]
    return write_only([(f"Phụ lục {number}", district_table(year, as_of, codes)),
                       ("Danh sách", appendix_list_rows(year, as_of, codes))])


def monthly_lists(month: dt.date) -> dict:
    """The monthly report's lists by plain queries: new products, decisions, media items and
    certificates expiring within 90 days, all as of the month's last day."""
    import calendar

    from communications.models import MediaItem
    from products.models import Evaluation

    end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    before = month - dt.timedelta(days=1)
    at_end = _rows(f"SELECT x.id FROM ({indicator_sets(month.year, end)['new_products_3star'][0]})"
                   " x", indicator_sets(month.year, end)["new_products_3star"][1])
    earlier = ({row[0] for row in _rows(
        f"SELECT x.id FROM ({indicator_sets(month.year, before)['new_products_3star'][0]}) x",
        indicator_sets(month.year, before)["new_products_3star"][1])}
        if before.year == month.year else set())
    new = sorted({row[0] for row in at_end} - earlier)
    decisions = list(Evaluation.objects.filter(
        stars__gte=3, product__archived_at__isnull=True, decision_date__range=(month, end))
        .order_by("decision_date", "product__district__code", "product__name", "pk")
        .values_list("pk", "product__name", "product__subject__name", "product__district__name",
                     "stars", "kind", "decision_number", "decision_date"))
    bounds = _month_bounds(month.year)
    media = list(MediaItem.objects.filter(published_at__gte=bounds[month.month - 1],
                                          published_at__lt=bounds[month.month])
                 .order_by("published_at", "pk")
                 .values_list("pk", "title", "kind", "outlet__name", "district__name",
                              "published_at", "url"))
    day = _d(end)
    expiring = _rows(
        "SELECT p.id, p.name, s.name, d.name, ev.stars, l.number, l.valid_to "
        f"FROM ({_latest_certificates('%s')}) l JOIN products_product p ON p.id = l.product_id "
        "JOIN subjects_subject s ON s.id = p.subject_id JOIN ocop_portal_district d "
        "ON d.id = p.district_id JOIN products_evaluation ev ON ev.id = l.evaluation_id "
        "WHERE l.rn = 1 AND p.archived_at IS NULL AND (l.ended_on IS NULL OR l.ended_on > %s) "
        "AND l.valid_to BETWEEN %s AND %s ORDER BY l.valid_to, p.id",
        [day, day, day, _d(end + dt.timedelta(days=90))])
    return {"end": end, "new": new, "decisions": decisions, "media": media,
            "expiring": expiring}


def monthly_report(month: dt.date) -> bytes:
    from targets.models import PlanTask

    lists = monthly_lists(month)
    end = lists["end"]
    codes = ["new_products_3star", "consolidated_subjects", "new_subjects",
             "traceability_products", "linkage_subjects", "advanced_qm_products"]
    summary = district_table(month.year, end, codes)
    tasks = PlanTask.objects.filter(deadline__lt=end).exclude(status="hoan_thanh").values_list(
        "title", "lead_units", "deadline", "status")
    new = set(lists["new"])
    return write_only([
        ("Báo cáo", summary),
        ("SP công nhận trong tháng", ([i, *row[1:5], row[5], row[0] in new, *row[6:]]
                                      for i, row in enumerate(lists["decisions"], start=1))),
        ("Tin bài trong tháng", ([i, *row[1:5], row[5].replace(tzinfo=None), row[6]]
                                 for i, row in enumerate(lists["media"], start=1))),
        ("GCN sắp hết hạn", ([i, *row[1:], (row[6] - end).days]
                             for i, row in enumerate(lists["expiring"], start=1))),
        ("Nhiệm vụ quá hạn", list(tasks)),
    ])


def parse_import(content: bytes) -> int:
    """openpyxl's read-only parse of the import file: every value of every row."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    count = sum(1 for _ in sheet.iter_rows(values_only=True))
    workbook.close()
    return count
