/* The scroll cue of the wide tables (static/css/phone.css): marks each [data-scroll-cue] box
   .is-overflowing while its .table-responsive is wider than the screen, and .at-start / .at-end
   by where it is scrolled, so the page can say "Vuốt ngang để xem thêm cột →" and fade the edge
   that hides more columns. Without this script the tables simply scroll, unmarked. */
(function () {
  "use strict";

  function watch(cue) {
    var scroller = cue.querySelector(".table-responsive");
    if (!scroller) {
      return;
    }
    var pending = false;

    function update() {
      pending = false;
      var hidden = scroller.scrollWidth - scroller.clientWidth;
      var left = Math.abs(scroller.scrollLeft);
      cue.classList.toggle("is-overflowing", hidden > 1);
      cue.classList.toggle("at-start", left <= 1);
      cue.classList.toggle("at-end", left >= hidden - 1);
    }

    function schedule() {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(update);
      }
    }

    scroller.addEventListener("scroll", schedule, { passive: true });
    if ("ResizeObserver" in window) {
      var observer = new ResizeObserver(schedule);
      observer.observe(scroller);
      if (scroller.firstElementChild) {
        observer.observe(scroller.firstElementChild);
      }
    } else {
      window.addEventListener("resize", schedule);
    }
    update();
  }

  document.querySelectorAll("[data-scroll-cue]").forEach(watch);
})();
