"""Demo district quotas for a first run. Plan 180's signed appendices (the real per-district split)
are not available, so these figures are invented to add up to the provincial totals, and their
reason says so. Never in production."""

from ocop_portal.demo import ensure_demo_asked_for
from ocop_portal.models import District
from targets.models import Indicator, Plan, Quota
from targets.services import quotas_set

# district code → quota per indicator; each column adds up to the plan's provincial total.
DEMO_SPLIT = {
    "new_products_3star": {"058": 4, "060": 2, "061": 3, "062": 2, "063": 2, "064": 3, "065": 2,
                           "066": 2},
    "consolidated_subjects": dict.fromkeys(("058", "060", "061", "062", "063", "064", "065",
                                            "066"), 1),
    "new_subjects": dict.fromkeys(("058", "060", "061", "062", "063", "064", "065", "066"), 1),
    "traceability_products": {"058": 3, "060": 2, "061": 3, "062": 2, "063": 2, "064": 3,
                              "065": 2, "066": 3},
    "linkage_subjects": {"058": 4, "060": 3, "061": 3, "062": 3, "063": 3, "064": 3, "065": 3,
                         "066": 3},
    "advanced_qm_products": {"058": 5, "060": 4, "061": 5, "062": 4, "063": 4, "064": 6,
                             "065": 4, "066": 5},
}
REASON = "Dữ liệu mẫu để chạy thử (không phải số liệu phụ lục đã ký của Kế hoạch 180/KH-UBND)"


def demo_quotas_create(actor) -> int:
    """Split the 2024 provincial totals among the districts, once; returns quotas written."""
    ensure_demo_asked_for()
    plan = Plan.objects.filter(year=2024).first()
    if plan is None or Quota.objects.filter(plan=plan, district__isnull=False).exists():
        return 0
    districts = {d.code: d for d in District.objects.all()}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=DEMO_SPLIT)}
    values = {(indicators[code], districts[district]): value
              for code, split in DEMO_SPLIT.items() for district, value in split.items()}
    return len(quotas_set(plan=plan, values=values, reason=REASON, user=actor))
