"""Reading the dashboard (/dashboard/, issue 4) the way the journeys need: a district's row of an
indicator, its drill-through link, and the figures behind the Chart.js bar chart.

Written before the dashboard exists, against this contract (issue 4, DESIGN.md §6): each
indicator is a section (a card or a region) titled with the indicator's name; inside it a table
has one row per district, whose cells hold the quota (Kế hoạch) and the actual (Thực hiện), the
actual being a link to the records behind it; the per-district bar chart is a Chart.js chart
(from the portal's own static files) whose labels are the district names and whose datasets are
labelled "Kế hoạch" and "Thực hiện". When the dashboard lands, adjust these helpers, not the
journeys' assertions.
"""

import re

from playwright.sync_api import Page

_CHART_DATA_SCRIPT = """() => {
  const charts = [...document.querySelectorAll('canvas')]
    .map(canvas => window.Chart && window.Chart.getChart(canvas)).filter(Boolean);
  return charts.map(chart => ({
    labels: chart.data.labels,
    datasets: chart.data.datasets.map(d => ({label: d.label, data: d.data})),
  }));
}"""


def indicator_section(page: Page, indicator_name: str):
    """The part of the dashboard about one indicator."""
    return page.locator("section, .card").filter(
        has=page.get_by_role("heading", name=re.compile(re.escape(indicator_name), re.I))).last


def district_row(page: Page, indicator_name: str, district_name: str):
    return indicator_section(page, indicator_name).get_by_role("row").filter(
        has_text=district_name)


def number_cells(row) -> list[int]:
    """The whole numbers shown in a table row, in order (quota, actual, ...)."""
    numbers = []
    for text in row.locator("td").all_inner_texts():
        match = re.fullmatch(r"\s*(\d+)\s*", text)
        if match:
            numbers.append(int(match[1]))
    return numbers


def chart_value(page: Page, district_name: str, dataset_label: str) -> float | None:
    """The bar of a district in the chart whose dataset is labelled `dataset_label`."""
    for chart in page.evaluate(_CHART_DATA_SCRIPT):
        if district_name not in (chart["labels"] or []):
            continue
        index = chart["labels"].index(district_name)
        for dataset in chart["datasets"]:
            if re.search(dataset_label, dataset["label"] or "", re.I):
                return dataset["data"][index]
    return None
