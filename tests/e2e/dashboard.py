"""Reading the plan 180 dashboards (/dashboard/, /dashboard/district/<code>/) as the journeys need:
a district's figure and its drill-through link, an indicator's card, the bar chart's figures.

Written against the targets branch's dashboard (not yet on this branch): every figure is a link
carrying data-indicator, data-district and data-actual; the province dashboard has a
table.district-table (a cell reads "actual/quota") and a Chart.js bar chart of the districts
(datasets "Chỉ tiêu" and "Thực hiện", indicator chosen in #chart-indicator); each indicator has a
card #indicator-<code> whose .stat-value is the actual, followed by "/ quota unit".
"""

import re

from playwright.sync_api import Page

_CHART_DATA_SCRIPT = """() => {
  const canvas = document.getElementById('district-chart');
  const chart = canvas && window.Chart && window.Chart.getChart(canvas);
  if (!chart) return null;
  return {labels: chart.data.labels,
          datasets: chart.data.datasets.map(d => ({label: d.label, data: d.data}))};
}"""


def _figure(page: Page, code: str, district_code: str):
    return page.locator(f'a[data-indicator="{code}"][data-district="{district_code}"]')


def district_link(page: Page, code: str, district_code: str):
    """The actual of an indicator for a district in the province dashboard's table."""
    return page.locator("table.district-table").locator(_figure(page, code, district_code))


def district_figure(page: Page, code: str, district_code: str) -> tuple[int, int | None]:
    """(actual, quota) as the province dashboard's district table shows them."""
    cell = page.locator("table.district-table td").filter(has=_figure(page, code, district_code))
    text = cell.inner_text()
    match = re.match(r"\s*(\d+)(?:\s*/\s*(\d+))?", text)
    return int(match[1]), int(match[2]) if match[2] else None


def card_link(page: Page, code: str):
    """The actual of an indicator on its card (province or district dashboard)."""
    return page.locator(f"#indicator-{code} a.stat-value")


def card_figure(page: Page, code: str) -> tuple[int, int | None]:
    """(actual, quota) as an indicator's card shows them ("1 / 3 sản phẩm", "1 / chưa giao")."""
    text = page.locator(f"#indicator-{code}").inner_text()
    match = re.search(r"(\d+)\s*/\s*(\d+|chưa giao)", text)
    return int(match[1]), int(match[2]) if match[2].isdigit() else None


def chart_values(page: Page, indicator_label: str, district_name: str) -> dict[str, float]:
    """The bars of a district in the district chart for one indicator: {dataset label: value}."""
    page.locator("#chart-indicator").select_option(label=indicator_label)
    chart = page.evaluate(_CHART_DATA_SCRIPT)
    assert chart is not None, "the district chart was not drawn"
    index = chart["labels"].index(district_name)
    return {dataset["label"]: dataset["data"][index] for dataset in chart["datasets"]}
