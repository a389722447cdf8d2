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
