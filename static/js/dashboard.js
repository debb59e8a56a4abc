/* Charts of the plan 180 dashboards. The figures come from the page (json_script), computed by
   the indicator engine on the server; nothing is counted here. */
(function () {
  "use strict";

  var GREEN = "#1f5f3f";
  var GREY = "#adb5bd";
  var GOLD = "#f5b301";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function hasQuota(values) {
    return values.some(function (value) { return value !== null; });
  }

  function districtDatasets(series) {
    var datasets = [];
    if (hasQuota(series.quota)) {
      datasets.push({ label: "Chỉ tiêu", data: series.quota, backgroundColor: GREY,
                      borderRadius: 3 });
    }
    datasets.push({ label: "Thực hiện", data: series.actual, backgroundColor: GREEN,
                    borderRadius: 3 });
    return datasets;
  }

  function districtChart(data) {
    var canvas = document.getElementById("district-chart");
    if (!canvas || !data || !data.series.length) { return; }
    var select = document.getElementById("chart-indicator");
    var current = data.series[0];
    var chart = new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: districtDatasets(current) },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { ticks: { autoSkip: false } }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (context) {
                var unit = current.unit ? " " + current.unit : "";
                return context.dataset.label + ": " + context.parsed.x + unit;
              }
            }
          }
        }
      }
    });
    if (select) {
      select.addEventListener("change", function () {
        current = data.series[Number(select.value)];
        chart.data.datasets = districtDatasets(current);
        chart.update();
      });
    }
  }

  function starsChart(data) {
    var canvas = document.getElementById("stars-chart");
    if (!canvas || !data) { return; }
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: "Sản phẩm", data: data.counts, backgroundColor: GOLD,
                     borderRadius: 3 }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: false } }
      }
    });
  }

  // The cycle's funnel: the stages still open in green, then how the cycle ended.
  function cycleChart(data) {
    var canvas = document.getElementById("cycle-chart");
    if (!canvas || !data) { return; }
    var most = Math.max.apply(null, data.counts.concat([0]));
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: "Sản phẩm", data: data.counts, borderRadius: 3,
                     backgroundColor: data.colours }]
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { beginAtZero: true, suggestedMax: Math.max(4, most + 1),
                       ticks: { precision: 0 } },
                  y: { ticks: { autoSkip: false } } },
        plugins: { legend: { display: false } }
      }
    });
  }

  function autoSubmitYear() {
    var form = document.getElementById("year-form");
    if (!form) { return; }
    var select = form.querySelector("select");
    if (select) {
      select.addEventListener("change", function () { form.submit(); });
    }
  }

  // Widths and positions given by the page as data (no inline style under the CSP).
  function placeBars() {
    document.querySelectorAll("[data-width]").forEach(function (element) {
      element.style.width = Number(element.dataset.width) + "%";
    });
    document.querySelectorAll("[data-left]").forEach(function (element) {
      element.style.left = Number(element.dataset.left) + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    placeBars();
    autoSubmitYear();
    if (typeof Chart === "undefined") { return; }
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    districtChart(readJson("district-chart-data"));
    starsChart(readJson("stars-chart-data"));
    cycleChart(readJson("cycle-chart-data"));
  });

  // Printed, the page is narrower than the screen: redraw each chart to the printed width so
  // that it stays inside the page, and back to the screen's afterwards.
  function resizeCharts() {
    if (typeof Chart === "undefined") { return; }
    Object.values(Chart.instances).forEach(function (chart) { chart.resize(); });
  }
  window.addEventListener("beforeprint", resizeCharts);
  window.addEventListener("afterprint", resizeCharts);
}());
