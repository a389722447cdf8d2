/* Figures are laid out for the screen's width, wider than a sheet: redraw them at the width
   of an A4 page for printing, then back. */
(function () {
  var PRINT_WIDTH = 680;
  var saved = [];
  window.addEventListener("beforeprint", function () {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".js-plotly-plot").forEach(function (graph) {
      var layout = graph.layout || {};
      saved.push([graph, layout.width, layout.autosize]);
      window.Plotly.relayout(graph, {width: Math.min(PRINT_WIDTH, graph.offsetWidth || PRINT_WIDTH)});
    });
  });
  window.addEventListener("afterprint", function () {
    saved.forEach(function (item) {
      window.Plotly.relayout(item[0], {width: item[1] === undefined ? null : item[1],
                                       autosize: item[2] === undefined ? true : item[2]});
    });
    saved = [];
  });
})();

/* Annexes (every quote, what is unknown) are folded on screen and open on paper: opened before
   printing, folded again after; print media emulated by a PDF printer counts as printing. */
(function () {
  var opened = [];
  function open() {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  }
  function close() {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  }
  window.addEventListener("beforeprint", open);
  window.addEventListener("afterprint", close);
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    var onChange = function (e) { if (e.matches) { open(); } else { close(); } };
    if (print.addEventListener) { print.addEventListener("change", onChange); }
    else if (print.addListener) { print.addListener(onChange); }
  }
})();

/* On a phone a figure is redrawn at the screen's width, its legend under the plot and its title
   smaller, so that it is seen whole instead of cut or scrolled. */
(function () {
  var NARROW = 700;
  function fit() {
    if (!window.Plotly || window.innerWidth > NARROW) { return; }
    document.querySelectorAll(".js-plotly-plot").forEach(function (graph) {
      var frame = graph.parentElement;
      var room = frame ? frame.clientWidth : window.innerWidth;
      var layout = graph.layout || {};
      var width = layout.width || graph.offsetWidth;
      var figure = graph.closest("figure");
      var keep = figure ? parseInt(figure.getAttribute("data-min-width") || "0", 10) : 0;
      if (keep > room) {
        // labels placed for this width: kept whole, the frame scrolls sideways
        frame.classList.add("ess-scroll");
        graph.style.width = keep + "px";
        window.Plotly.relayout(graph, {width: keep});
        return;
      }
      var update = {"legend.orientation": "h", "legend.x": 0, "legend.xanchor": "left",
                    "title.font.size": 12, "margin.l": Math.min((layout.margin || {}).l || 80, 60),
                    "margin.r": 10};
      if (room > 0 && width > room) { update.width = room; }
      window.Plotly.relayout(graph, update);
    });
  }
  window.addEventListener("load", function () { window.setTimeout(fit, 0); });
  window.addEventListener("resize", fit);
})();

/* #fiche shows the two-page brief of the same page; the link to the full page comes back. */
(function () {
  function apply() {
    var brief = window.location.hash === "#fiche";
    document.body.classList.toggle("ess-brief", brief);
    if (window.Plotly) {
      document.querySelectorAll(".js-plotly-plot").forEach(function (graph) {
        if (graph.offsetParent !== null) { window.Plotly.Plots.resize(graph); }
      });
    }
  }
  window.addEventListener("hashchange", apply);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", apply);
  } else {
    apply();
  }
})();
