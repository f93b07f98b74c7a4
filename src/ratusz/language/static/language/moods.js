// Draws the Vega-Lite charts of the language panels; loads the vendored Vega scripts once if the page
// has not loaded them yet. The same figures are always in a table next to the chart.
(function () {
  function load(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src; s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  function ensureVega(base) {
    if (window.vegaEmbed) return Promise.resolve();
    var chain = window.vega ? Promise.resolve() : load(base + "vega.min.js");
    return chain
      .then(function () { return window.vegaLite ? null : load(base + "vega-lite.min.js"); })
      .then(function () { return load(base + "vega-embed.min.js"); });
  }
  function draw() {
    var nodes = document.querySelectorAll("[data-language-chart]:not([data-drawn])");
    nodes.forEach(function (node) {
      node.setAttribute("data-drawn", "1");
      var spec = JSON.parse(document.getElementById(node.getAttribute("data-language-chart")).textContent);
      ensureVega(node.getAttribute("data-vendor")).then(function () {
        return window.vegaEmbed(node, spec, { renderer: "svg", actions: false });
      }).catch(function () { node.hidden = true; });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
