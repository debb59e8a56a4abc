/* The portal's form widgets, from its own static files (no CDN):
 * - every multiple select becomes a searchable Tom Select (type to find, click to add, × to
 *   remove) instead of Ctrl-click; the search ignores diacritics ("mien" finds "Miến");
 * - every date box (data-datepicker) gets a flatpickr calendar that reads and writes dd/mm/yyyy
 *   in Vietnamese, while typing the date stays possible.
 * The original inputs keep their names, so the form posts exactly what it did without script. */
(function () {
  "use strict";

  function searchableSelects(root) {
    if (typeof window.TomSelect === "undefined") return;
    root.querySelectorAll("select[multiple]:not(.tomselected)").forEach(function (select) {
      new window.TomSelect(select, {
        plugins: ["remove_button"],
        maxOptions: null,
        hidePlaceholder: true,
        placeholder: select.dataset.placeholder || "Gõ để tìm, bấm để chọn…",
        render: {
          no_results: function () {
            return '<div class="no-results">Không tìm thấy mục nào phù hợp</div>';
          },
        },
      });
    });
  }

  function datePickers(root) {
    if (typeof window.flatpickr === "undefined") return;
    var vietnamese = window.flatpickr.l10ns && window.flatpickr.l10ns.vn;
    root.querySelectorAll("input[data-datepicker]").forEach(function (input) {
      if (input._flatpickr) return;
      window.flatpickr(input, {
        dateFormat: "d/m/Y",
        allowInput: true,
        disableMobile: true, // a phone's own picker would show its locale's format
        locale: vietnamese ? Object.assign({}, vietnamese, { firstDayOfWeek: 1 }) : undefined,
        maxDate: input.dataset.maxDate || null,
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    searchableSelects(document);
    datePickers(document);
  });
})();
