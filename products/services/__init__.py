"""Writes of the product registry, with their rules, by concern; every name is importable from
`products.services` as before the split."""

from products.services.cycle import (
    participation_advance,
    participation_build,
    participation_move,
    participation_register,
    participation_sync,
    participation_withdraw,
    recognised_before,
)
from products.services.evaluations import (
    DailyCheckOutcome,
    EvaluationOutcome,
    certificate_delete,
    certificate_revoke,
    certificates_daily_check,
    certificates_expiring_within,
    certificates_mark_expired,
    evaluation_build,
    evaluation_correct,
    evaluation_decision_scan_attach,
    evaluation_delete,
    evaluation_record,
    evaluation_warnings,
)
from products.services.history import (
    HistoryChanges,
    history_derive,
    product_refresh_history,
)
from products.services.products import (
    product_archive,
    product_build,
    product_create,
    product_restore,
    product_update,
    refresh_search_text_for_subject,
    refuse_archived_twin,
)
from products.services.quality import (
    quality_certification_add,
    quality_certification_build,
    traceability_add,
    traceability_build,
)

__all__ = [
    "DailyCheckOutcome",
    "EvaluationOutcome",
    "HistoryChanges",
    "certificate_delete",
    "certificate_revoke",
    "certificates_daily_check",
    "certificates_expiring_within",
    "certificates_mark_expired",
    "evaluation_build",
    "evaluation_correct",
    "evaluation_decision_scan_attach",
    "evaluation_delete",
    "evaluation_record",
    "evaluation_warnings",
    "history_derive",
    "participation_advance",
    "participation_build",
    "participation_move",
    "participation_register",
    "participation_sync",
    "participation_withdraw",
    "product_archive",
    "product_build",
    "product_create",
    "product_refresh_history",
    "product_restore",
    "product_update",
    "quality_certification_add",
    "quality_certification_build",
    "recognised_before",
    "refresh_search_text_for_subject",
    "refuse_archived_twin",
    "traceability_add",
    "traceability_build",
]
