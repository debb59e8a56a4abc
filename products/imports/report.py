"""What an import found and did: errors and warnings located by row and column, and for each
row whether it creates, updates or leaves records unchanged."""

from dataclasses import asdict, dataclass, field

from products.imports.columns import position


@dataclass(frozen=True)
class Issue:
    """An error or a warning; `row` is the worksheet's row number, `column` a header name."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self):
        where = []
        if self.row:
            where.append(f"Dòng {self.row}")
        if self.column:
            where.append(f"cột “{self.column}”")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    @property
    def sort_key(self):
        return (self.row or 0, position(self.column), self.column or "")


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    LABELS = {CREATE: "Tạo mới", UPDATE: "Cập nhật", UNCHANGED: "Không đổi"}


@dataclass
class RowResult:
    row: int
    product: str
    subject: str
    district: str
    action: str = Action.UNCHANGED
    changes: list[str] = field(default_factory=list)

    @property
    def action_label(self):
        return Action.LABELS[self.action]


COUNT_LABELS = {
    "subjects": "chủ thể mới",
    "products": "sản phẩm mới",
    "evaluations": "quyết định công nhận",
    "certificates": "giấy chứng nhận",
    "quality_certifications": "chứng nhận tiêu chuẩn chất lượng",
    "traceability": "truy xuất nguồn gốc",
    "participations": "đăng ký chu trình OCOP",
}


@dataclass
class ImportReport:
    filename: str = ""
    rows: list[RowResult] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_LABELS, 0))
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, message, row=None, column=None):
        self.errors.append(Issue(message, row, column))

    def warn(self, message, row=None, column=None):
        self.warnings.append(Issue(message, row, column))

    def rows_with(self, action):
        return [row for row in self.rows if row.action == action]

    @property
    def rows_to_create(self):
        return self.rows_with(Action.CREATE)

    @property
    def rows_to_update(self):
        return self.rows_with(Action.UPDATE)

    @property
    def rows_unchanged(self):
        return self.rows_with(Action.UNCHANGED)

    @property
    def created_summary(self) -> list[tuple[str, int]]:
        return [(label, self.created[key]) for key, label in COUNT_LABELS.items()
                if self.created[key]]

    def sort(self):
        self.rows.sort(key=lambda row: row.row)
        self.errors.sort(key=lambda issue: issue.sort_key)
        self.warnings.sort(key=lambda issue: issue.sort_key)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        return cls(
            filename=data.get("filename", ""),
            rows=[RowResult(**row) for row in data.get("rows", [])],
            errors=[Issue(**issue) for issue in data.get("errors", [])],
            warnings=[Issue(**issue) for issue in data.get("warnings", [])],
            created={**dict.fromkeys(COUNT_LABELS, 0), **data.get("created", {})},
            applied=data.get("applied", False),
        )
