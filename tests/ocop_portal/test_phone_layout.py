"""Phone layouts (below 576 px, static/css/phone.css): the lists and record tables turn into
cards labelled by each cell's data-label, sorting stays on screen, wide tables carry a scroll
cue, and no button hides behind a sideways scroll. What the browser draws is checked by the
e2e journeys (they photograph every page at 390 px); here, the markup the CSS relies on."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.communications.factories import MediaItemFactory, OutletFactory
from tests.factories import ProductFactory, SubjectFactory, recognise

pytestmark = pytest.mark.django_db
STATIC = Path(settings.BASE_DIR) / "static"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], ""

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def find_all(self, tag, css=None):
        return [n for n in self.walk() if n.tag == tag and (css is None or css in n.classes)]

    def all_text(self) -> str:
        return self.text + "".join(child.all_text() for child in self.children)

    def ancestors(self):
        up = self.parent
        while up is not None:
            yield up
            up = up.parent


class Tree(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {}, None)
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        for node in [self.current, *self.current.ancestors()]:
            if node.tag == tag:
                self.current = node.parent
                return

    def handle_data(self, data):
        self.current.text += data


def page(user, path) -> Node:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return Tree(response.content.decode()).root


def body_cells(table: Node) -> list[Node]:
    return [cell for tbody in table.find_all("tbody") for tr in tbody.find_all("tr")
            for cell in tr.children if cell.tag in ("td", "th")]


def hidden_on_phones(node: Node) -> bool:
    """Bootstrap's d-none hides below 576 px unless a d-sm-… class shows it again; the cards
    show a d-none cell that carries phone-show."""
    classes = node.classes
    if "phone-hide" in classes:
        return True
    return ("d-none" in classes and not any(c.startswith("d-sm-") for c in classes)
            and "phone-show" not in classes)


def the_card_table(root: Node) -> Node:
    tables = root.find_all("table", "phone-cards")
    assert len(tables) == 1
    return tables[0]


@pytest.fixture
def records(cho_don):
    subject = SubjectFactory(name="HTX Trà Shan tuyết Bằng Phúc", district=cho_don,
                             legal_representative="Hoàng Văn Bình")
    product = ProductFactory(name="Trà Shan tuyết Bằng Phúc", subject=subject)
    recognise(product, stars=4)
    ProductFactory(name="Miến dong Bằng Phúc",
                   subject=SubjectFactory(name="HTX Miến dong Bằng Phúc", district=cho_don))
    MediaItemFactory(title="Trà Shan tuyết Bằng Phúc đạt 4 sao", district=cho_don,
                     outlet=OutletFactory(name="Báo Bắc Kạn"))
    MediaItemFactory(title="Tin toàn tỉnh về OCOP")
    return product


LISTS = {
    "/products/": {"Sản phẩm", "Chủ thể", "Nhóm", "Huyện", "Hạng", "Giấy chứng nhận", "Hồ sơ"},
    "/subjects/": {"Chủ thể", "Loại hình", "Huyện", "Người đại diện", "Sản phẩm", "Hồ sơ"},
    "/communications/": {"Ngày đăng", "Tiêu đề", "Thể loại", "Cơ quan báo chí",
                         "Huyện/Thành phố", "Tác giả"},
}


@pytest.mark.parametrize("path", LISTS)
def test_every_body_cell_of_a_list_is_labelled_for_the_phone_cards(province_staff, records,
                                                                  path):
    table = the_card_table(page(province_staff, path))
    cells = body_cells(table)
    assert len(cells) >= 2 * 5
    assert all(cell.attrs.get("data-label") for cell in cells)
    # The labels are the column headers' (a phone reads "Huyện: Chợ Đồn").
    assert {cell.attrs["data-label"] for cell in cells} == LISTS[path]
    # Each card is headed by the record's name, a link to the record.
    for tr in table.find_all("tbody")[0].find_all("tr"):
        titles = [cell for cell in tr.children if "phone-card-title" in cell.classes]
        assert len(titles) == 1
        assert titles[0].find_all("a")


@pytest.mark.parametrize("path", LISTS)
def test_a_list_can_still_be_sorted_by_every_column_on_a_phone(province_staff, records, path):
    table = the_card_table(page(province_staff, path))
    thead = table.find_all("thead")[0]
    assert "phone-sort" in thead.classes
    links = thead.find_all("a", "sort-link")
    assert {link.all_text().strip() for link in links} == LISTS[path]
    assert all("?" in link.attrs["href"] and "sort=" in link.attrs["href"] for link in links)


def test_the_revoke_button_is_in_a_cell_shown_on_phones(province_staff, records):
    root = page(province_staff, f"/products/{records.pk}/")
    table = root.find_all("table", "phone-cards")[0]
    assert table.attrs.get("id") == "certificates"
    revoke = [a for a in table.find_all("a") if a.all_text().strip() == "Thu hồi"]
    assert len(revoke) == 1
    cell = next(up for up in revoke[0].ancestors() if up.tag == "td")
    assert "phone-card-actions" in cell.classes
    for node in [revoke[0], *revoke[0].ancestors()]:
        assert not hidden_on_phones(node), node.attrs
    # Status and validity sit in cells of the same card, shown and labelled.
    cells = body_cells(table)
    assert {"Hạng", "Số GCN", "Hiệu lực", "Trạng thái"} <= {c.attrs.get("data-label")
                                                           for c in cells}
    assert not any(hidden_on_phones(cell) for cell in cells)


def test_the_quota_history_and_record_history_stack_on_phones(province_staff, records):
    history = the_card_table(page(province_staff, "/targets/quotas/history/?year=2024"))
    cells = body_cells(history)
    assert cells
    assert all(cell.attrs.get("data-label") for cell in cells)
    detail = page(province_staff, f"/products/{records.pk}/")
    changes = next(t for t in detail.find_all("table") if t.attrs.get("id") == "history")
    assert "phone-cards" in changes.classes
    assert all(cell.attrs.get("data-label") for cell in body_cells(changes))


@pytest.mark.parametrize(("path", "tables"), [
    ("/dashboard/?year=2024", {"cycle-table", "district-table"}),
    ("/targets/?year=2024", {"district-table"}),
    ("/targets/quotas/?year=2024", {"quota-table"}),
])
def test_wide_tables_carry_the_scroll_cue(province_staff, records, path, tables):
    root = page(province_staff, path)
    cues = [n for n in root.walk() if "data-scroll-cue" in n.attrs]
    found = set()
    for cue in cues:
        hints = cue.find_all("p", "scroll-cue-hint")
        assert len(hints) == 1
        assert "Vuốt ngang để xem thêm cột" in hints[0].all_text()
        boxes = cue.find_all("div", "table-responsive")
        assert len(boxes) == 1
        found |= {c for t in boxes[0].find_all("table") for c in t.classes} & tables
    assert found == tables
    scripts = [n.attrs for n in root.find_all("script")
               if n.attrs.get("src", "").endswith("js/scroll_cue.js")]
    assert len(scripts) == 1
    assert "defer" in scripts[0]


def test_the_phone_stylesheet_holds_the_card_and_cue_rules():
    css = (STATIC / "css" / "phone.css").read_text(encoding="utf-8")
    phone = css[css.index("@media (max-width: 575.98px)"):]
    for rule in (r"table\.phone-cards > tbody > tr \{\s*display: grid",
                 r"content: attr\(data-label\)",
                 r"\.phone-card-title \{\s*grid-column: 1 / -1",
                 r"table\.phone-cards > thead\.phone-sort \{ display: block; \}",
                 r"\.phone-card-actions \{\s*display: flex"):
        assert re.search(rule, phone), rule
    # The cue: hidden unless the script finds the table wider than its box.
    assert re.search(r"\.scroll-cue-hint \{\s*display: none", css)
    assert ".scroll-cue.is-overflowing .scroll-cue-hint { display: block; }" in css
    script = (STATIC / "js" / "scroll_cue.js").read_text(encoding="utf-8")
    assert "is-overflowing" in script
    assert "[data-scroll-cue]" in script
