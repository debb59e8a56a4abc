"""What every journey does: log in through the real login page, and photograph each page it meets
at desktop and phone width, checking that the phone layout does not scroll sideways."""

import contextlib
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The personas of tests/conftest.py all have this password.
PASSWORD = "mat-khau-thu-2024"

# Elements wider than the phone screen and not inside a scrolling box (a .table-responsive may
# scroll sideways on its own), named so that a failure says what to fix.
_OVERFLOW_SCRIPT = """() => {
  const root = document.documentElement;
  const limit = root.clientWidth;
  const clipped = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > limit + 1 && box.width > 0 && !clipped(el)) {
      const id = el.id ? '#' + el.id : '';
      const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
      const right = Math.round(box.right);
      culprits.push(el.tagName.toLowerCase() + id + cls + ' (right edge ' + right + ')');
    }
  }
  return {scroll: root.scrollWidth, client: limit, culprits: culprits.slice(0, 5)};
}"""
# The page fits once nothing sticks out (a chart's canvas included, which Chart.js resizes a few
# frames after the window, later still on a loaded machine).
_FITS_SCRIPT = "() => { const w = (" + _OVERFLOW_SCRIPT + ")(); return w.scroll <= w.client && " \
               "!w.culprits.length; }"
# Charts (Chart.js) follow a new width on the next animation frames, not at once: a screenshot
# taken straight after a resize shows a blank or overflowing canvas.
_NEXT_FRAMES_SCRIPT = """() => new Promise(done => {
  let frames = 3;
  const tick = () => (--frames ? requestAnimationFrame(tick) : done(true));
  requestAnimationFrame(tick);
})"""
# How long the layout may take to follow a resize before the page is judged as it stands: a
# condition waited for, not a fixed pause (a loaded CI machine is slow to re-lay-out charts).
RELAYOUT_MS = 10_000


# What an edit control is called on the registry pages: "Thêm ...", "Sửa", "Ghi kết quả ...",
# "Thu hồi", "Xác nhận nhập", "Lưu", "Lưu trữ", "Khôi phục"; not "Xem … đã lưu trữ" (reading).
# Not anchored at the start: an icon's glyph (Bootstrap Icons are CSS generated content) comes
# first in the accessible name.
EDIT_CONTROL = re.compile(
    r"(?:^|\s)(Thêm|Sửa|Ghi kết quả|Thu hồi|Xác nhận|(?<!đã )Lưu|Khôi phục|Nhập từ Excel)",
    re.IGNORECASE)


class Journey:
    """The pages of one journey, photographed in order under output/e2e/<journey>/."""

    def __init__(self, page: Page, folder: Path):
        self.page = page
        self.folder = folder
        self.shots = 0

    def snap(self, name: str) -> None:
        """Screenshot at 1280 and 390 px; at 390 px the page must not scroll horizontally."""
        self.shots += 1
        stem = f"{self.shots:02d}-{name}"
        page = self.page
        page.set_viewport_size(PHONE)
        page.evaluate(_NEXT_FRAMES_SCRIPT)
        with contextlib.suppress(PlaywrightTimeoutError):
            page.wait_for_function(_FITS_SCRIPT, timeout=RELAYOUT_MS)
        widths = page.evaluate(_OVERFLOW_SCRIPT)
        page.screenshot(path=self.folder / f"{stem}-390.png", full_page=True)
        page.set_viewport_size(DESKTOP)
        page.evaluate(_NEXT_FRAMES_SCRIPT)
        page.screenshot(path=self.folder / f"{stem}-1280.png", full_page=True)
        assert widths["scroll"] <= widths["client"], (
            f"{page.url} scrolls horizontally at 390 px: {widths['scroll']} px of content in "
            f"{widths['client']} px; widest elements: {widths['culprits']}")


def submit_login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Fill in and send the login form on the page the browser shows."""
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login page, which leads away from it (to the home page)."""
    page.goto("/accounts/login/")
    submit_login(page, username, password)
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def open_filters(page: Page) -> None:
    """Unfold the list's "Tìm kiếm và lọc" panel when it is folded."""
    panel = page.locator("details:has(summary:has-text('Tìm kiếm và lọc'))")
    if panel.count() and not panel.evaluate("el => el.open"):
        panel.locator("summary").click()


def edit_controls(page: Page):
    """Links and buttons on the page that would add, change or revoke a record."""
    main = page.locator("main")
    return (main.get_by_role("link", name=EDIT_CONTROL)
            .or_(main.get_by_role("button", name=EDIT_CONTROL)))


def csrf_token(page: Page) -> str:
    """The CSRF token of the page's forms (every page has one in the log-out form)."""
    return page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
