/* figures: the script of a published figure page and of its embed card.
   The chart is already in the page as an SVG drawn at build time; this script
   1. tells a host page that embeds this page in an iframe how tall it is, so the
      iframe fits its content at every width (the host's few lines of script in the
      embed snippet listen for {type: "figures:height"}), and
   2. after the first paint, loads the chart's specs (specs.js, beside the page)
      and Vega (the site's assets) and swaps the drawing on screen for the same
      chart with tooltips, at the same size.
   It asks no host but the site's own. */
(function () {
  "use strict";
  var root = document.documentElement;
  var figureId = root.getAttribute("data-figure") || "";
  var lastHeight = 0;

  function postHeight() {
    if (window.parent === window) return;
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height === lastHeight) return;
    lastHeight = height;
    window.parent.postMessage({type: "figures:height", id: figureId, height: height}, "*");
  }
  if (window.parent !== window) {
    root.classList.add("embedded");
    if (window.ResizeObserver) new ResizeObserver(postHeight).observe(root);
    window.addEventListener("load", postHeight);
    window.addEventListener("resize", postHeight);
    postHeight();
  }

  var chart = document.getElementById("chart");
  var bundle = root.getAttribute("data-vega");
  var specsFile = root.getAttribute("data-specs");
  if (!chart || !bundle || !specsFile || !chart.querySelector(".drawn")) return;

  function live() {
    var specs = window.figuresSpecs;
    if (typeof window.vegaEmbed !== "function" || !specs) return;
    /* the drawing on screen (wide, or narrow on a phone): the live chart takes its place, drawn from its spec */
    var drawings = chart.querySelectorAll(".drawn"), drawn = null;
    for (var i = 0; i < drawings.length; i++) {
      if (getComputedStyle(drawings[i]).display !== "none") { drawn = drawings[i]; break; }
    }
    var spec = specs[drawn ? drawn.getAttribute("data-spec") : "wide"];
    if (!spec) return;
    var target = document.createElement("div");
    target.className = "chart-live";
    target.setAttribute("aria-hidden", "true");
    chart.appendChild(target);
    window.vegaEmbed(target, spec, {actions: false, renderer: "svg"}).then(function () {
      var svg = target.querySelector("svg");
      var old = drawn && drawn.querySelector("svg");
      if (!svg || !drawn) { chart.removeChild(target); return; }
      if (old) {
        svg.setAttribute("role", old.getAttribute("role") || "img");
        var label = old.getAttribute("aria-labelledby");
        if (label) svg.setAttribute("aria-labelledby", label);
        var title = old.querySelector("title"), desc = old.querySelector("desc");
        if (desc) svg.insertBefore(desc, svg.firstChild);
        if (title) svg.insertBefore(title, svg.firstChild);
      }
      target.removeAttribute("aria-hidden");
      target.className = "chart-live ready";
      drawn.replaceChildren(target);
      chart.setAttribute("data-live", "true");
      postHeight();
    }).catch(function () {
      if (target.parentNode) chart.removeChild(target);  /* the drawn chart stays */
    });
  }

  function load() {
    /* the chart's specs (beside the page) and Vega (the site's assets), run in this order, then the live chart */
    var waiting = 2;
    [specsFile, bundle].forEach(function (src) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;
      script.onload = function () { if (--waiting === 0) live(); };
      document.body.appendChild(script);
    });
  }
  /* after the first frame is painted: the drawn chart is on screen before Vega is even fetched */
  requestAnimationFrame(function () { setTimeout(load, 0); });
})();
