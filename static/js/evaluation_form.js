/* The evaluation form: adds the parts A + B + C as they are typed, shows the star band the sum
   falls in and the maxima of the selected criteria version, and says when a part exceeds its
   maximum. The rules come from the page (json_script, the form's score_rules); the server
   checks the same rules again when the form is sent. */
(function () {
  "use strict";

  var PARTS = ["a", "b", "c"];

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function pad2(number) {
    return (number < 10 ? "0" : "") + number;
  }

  // Points are handled in hundredths, so that 0,1 + 0,2 is 0,30 and the bands' edges are exact.
  function parseHundredths(text) {
    var value = (text || "").replace(/\s/g, "");
    if (value === "") { return null; }
    if (!/^-?\d+(?:[.,]\d+)?$/.test(value)) { return NaN; }
    return Math.round(parseFloat(value.replace(",", ".")) * 100);
  }

  // 72,50: the sum, with two decimals and a decimal comma.
  function formatSum(hundredths) {
    var sign = hundredths < 0 ? "-" : "";
    var absolute = Math.abs(hundredths);
    return sign + Math.floor(absolute / 100) + "," + pad2(absolute % 100);
  }

  // 38 or 35,01: a part as the server's messages write it, without trailing zeros.
  function formatPoints(hundredths) {
    return formatSum(hundredths).replace(/,?0+$/, "").replace(/^$/, "0");
  }

  function isoDay(text) {
    var value = (text || "").trim();
    var match = /^(\d{1,2})[\/\-](\d{1,2})[\/\-](\d{4})$/.exec(value);
    if (match) { return match[3] + "-" + pad2(+match[2]) + "-" + pad2(+match[1]); }
    match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return match ? value : null;
  }

  function line(text, className) {
    var element = document.createElement("div");
    element.textContent = text;
    if (className) { element.className = className; }
    return element;
  }

  function init() {
    var rules = readJson("evaluation-score-rules");
    var summary = document.getElementById("score-summary");
    var inputs = {};
    PARTS.forEach(function (part) { inputs[part] = document.getElementById("id_score_" + part); });
    if (!rules || !summary || !inputs.a || !inputs.b || !inputs.c) { return; }
    var versionSelect = document.getElementById("id_criteria_version");
    var decisionDate = document.getElementById("id_decision_date");
    var cycleYear = document.getElementById("id_cycle_year");

    // Under the parts' fields, where the eye is while typing them.
    var lastPart = inputs.c.closest(".mb-3") || inputs.c.parentNode;
    lastPart.parentNode.insertBefore(summary, lastPart.nextSibling);

    // A blank version follows the decision date (else the last day of the cycle year).
    function selectedVersion() {
      var chosen = versionSelect ? versionSelect.value : "";
      if (chosen) { return { version: chosen, inferred: false }; }
      var day = isoDay(decisionDate && decisionDate.value);
      if (!day && cycleYear && /^\d{4}$/.test(cycleYear.value.trim())) {
        day = cycleYear.value.trim() + "-12-31";
      }
      var version = !day || day >= rules.effective_148 ? rules.version_148
        : rules.version_before_148;
      return { version: version, inferred: true };
    }

    function bandOf(hundredths) {
      for (var i = 0; i < rules.bands.length; i += 1) {
        if (hundredths >= rules.bands[i].lowest * 100) { return rules.bands[i]; }
      }
      return null;
    }

    function markInvalid(input, invalid) {
      // Only the mark this script set is taken off: the server's own stays until it resends.
      if (invalid) {
        if (!input.classList.contains("is-invalid")) {
          input.classList.add("is-invalid");
          input.dataset.liveInvalid = "1";
        }
      } else if (input.dataset.liveInvalid) {
        input.classList.remove("is-invalid");
        delete input.dataset.liveInvalid;
      }
    }

    function update() {
      var selected = selectedVersion();
      var maxima = rules.maxima[selected.version];
      var name = rules.versions[selected.version];
      var lines = [];
      lines.push(line(
        (selected.inferred ? "Bộ tiêu chí theo ngày quyết định: " : "Bộ tiêu chí: ") + name +
        " — phần A tối đa " + maxima.a + ", phần B tối đa " + maxima.b + ", phần C tối đa " +
        maxima.c + " điểm.", "text-muted"));

      var values = {};
      var problems = [];
      PARTS.forEach(function (part) {
        var value = parseHundredths(inputs[part].value);
        var label = "Điểm phần " + part.toUpperCase();
        var invalid = false;
        values[part] = value;
        if (value !== null && isNaN(value)) {
          problems.push(label + " không phải là số.");
        } else if (value !== null && value < 0) {
          problems.push(label + " không được nhỏ hơn 0; đã nhập " + formatPoints(value) + ".");
          invalid = true;
        } else if (value !== null && value > maxima[part] * 100) {
          problems.push(label + " tối đa " + maxima[part] + " điểm theo " + name +
                        "; đã nhập " + formatPoints(value) + ".");
          invalid = true;
        }
        markInvalid(inputs[part], invalid);
      });

      var given = PARTS.filter(function (part) { return values[part] !== null; });
      var readable = given.every(function (part) { return !isNaN(values[part]); });
      if (given.length === 3 && readable) {
        var sum = values.a + values.b + values.c;
        var band = sum >= 0 && sum <= 10000 ? bandOf(sum) : null;
        lines.push(line("A + B + C = " + formatSum(sum) + " điểm" + (band
          ? " → " + band.stars + " sao (" + band.label + ")"
          : " — ngoài thang 0 đến 100 điểm"), "fw-semibold"));
      } else if (given.length > 0 && readable) {
        lines.push(line("Nhập đủ điểm ba phần A, B, C để tính tổng và hạng sao."));
      }
      problems.forEach(function (problem) { lines.push(line(problem, "text-danger")); });

      summary.replaceChildren.apply(summary, lines);
      summary.hidden = false;
    }

    PARTS.forEach(function (part) { inputs[part].addEventListener("input", update); });
    [versionSelect, decisionDate, cycleYear].forEach(function (element) {
      if (element) {
        element.addEventListener("input", update);
        element.addEventListener("change", update);
      }
    });
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
