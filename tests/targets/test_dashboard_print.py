"""The dashboard prints as a document: no navigation or controls, charts redrawn to the printed
width, sections in one column so that none overlaps another across a page break (looked at in
Chromium's PDF; these pin the rules that made it so)."""

import re
from pathlib import Path

from django.conf import settings

STATIC = Path(settings.BASE_DIR) / "static"


def print_rules() -> str:
    css = (STATIC / "css" / "portal.css").read_text(encoding="utf-8")
    return css[css.index("@media print"):]


def test_print_hides_navigation_and_controls_and_keeps_one_column():
    rules = print_rules()
    assert re.search(r"\.navbar, \.breadcrumb, footer, form, \.btn", rules)
    assert ".row { display: block !important; }" in rules
    assert ".h-100 { height: auto !important; }" in rules
    assert "canvas { max-width: 100% !important; }" in rules


def test_charts_are_redrawn_for_the_printed_width():
    script = (STATIC / "js" / "dashboard.js").read_text(encoding="utf-8")
    assert 'window.addEventListener("beforeprint", resizeCharts)' in script
    assert 'window.addEventListener("afterprint", resizeCharts)' in script
