/* Draw every Vega-Lite chart on the page with the vendored vega-embed (no CDN).
   A chart is <div class="vega-chart" data-spec="ID"> plus <script type="application/json" id="ID">. */
(function () {
  "use strict";
  function draw(root) {
    if (typeof vegaEmbed !== "function") { return; }
    root.querySelectorAll(".vega-chart[data-spec]:not([data-drawn])").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-spec"));
      if (!source) { return; }
      el.setAttribute("data-drawn", "1");
      var spec = JSON.parse(source.textContent);
      vegaEmbed(el, spec, { actions: false, renderer: "svg" }).then(function (res) {
        var svg = el.querySelector("svg");
        if (svg) {
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", el.getAttribute("data-label") || "");
        }
        el.setAttribute("data-rendered", "1");
      }).catch(function (err) {
        el.textContent = el.getAttribute("data-error") || "Nie udało się narysować wykresu.";
        if (window.console) { console.error(err); }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (ev) { draw(ev.target || document); });
})();
