/* `enter` runs before printing and `leave` after, from the browser's print events and from print
   media emulated by a PDF printer, which may lay the sheets out before "beforeprint". */
function essOnPrint(enter, leave) {
  window.addEventListener("beforeprint", enter);
  window.addEventListener("afterprint", leave);
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    var onChange = function (e) { if (e.matches) { enter(); } else { leave(); } };
    if (print.addEventListener) { print.addEventListener("change", onChange); }
    else if (print.addListener) { print.addListener(onChange); }
  }
}

/* Figures are laid out for the screen's width, wider than a sheet: redraw them at the width
   of an A4 page for printing, then back. A comparison prints its figures at PRINT_ZOOM, laid
   out wider by as much so that they fill the sheet's width: their text smaller, nothing moved
   relative to the rest. A figure whose layout names
   its rows (meta.essPrint: rows, rowPx, printRowPx) has its rows closer on paper. */
(function () {
  var PRINT_WIDTH = 680;
  var PRINT_ZOOM = 0.75;
  var saved = [];
  window.essPrintZoom = function (graph) {
    return document.body.classList.contains("ess-compare_territories") ? PRINT_ZOOM : 1;
  };
  function before() {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".js-plotly-plot").forEach(function (graph) {
      // once: a printer may announce printing more than once before it ends
      if (saved.some(function (item) { return item[0] === graph; })) { return; }
      var layout = graph.layout || {};
      var zoom = window.essPrintZoom(graph);
      var frame = graph.parentElement;
      saved.push([graph, layout.width, layout.autosize, layout.height,
                  frame ? frame.style.height : "", (layout.margin || {}).t,
                  (layout.annotations || []).map(function (note) { return note.borderpad; }),
                  (layout.margin || {}).b]);
      var update = {width: zoom < 1 ? Math.round(PRINT_WIDTH / zoom)
                                    : Math.min(PRINT_WIDTH, graph.offsetWidth || PRINT_WIDTH)};
      var hint = layout.meta && layout.meta.essPrint;
      if (zoom < 1 && hint && layout.height && hint.printRowPx < hint.rowPx) {
        update.height = layout.height - hint.rows * (hint.rowPx - hint.printRowPx);
      }
      // boxed words (« inconnu ») hug their words on paper, where rows are closer
      if (zoom < 1 && hint && hint.printRowPx < hint.rowPx) {
        (layout.annotations || []).forEach(function (note, i) {
          if (note.borderpad) { update["annotations[" + i + "].borderpad"] = 0; }
        });
      }
      // a one-line title needs 40 px above the plot on paper, not the screen's 60; a figure
      // may say how much less its own top margin needs (meta.essPrint.topLess)
      var top = (layout.margin || {}).t;
      var less = hint && hint.topLess ? hint.topLess : (top === 60 ? 20 : 0);
      if (zoom < 1 && hint && layout.height && less) {
        update["margin.t"] = top - less;
        update.height = (update.height || layout.height) - less;
      }
      // the frame that holds the figure (zoomed with it) as high as the figure is drawn
      if (zoom < 1 && frame && frame.style.height && (update.height || layout.height)) {
        frame.style.height = (update.height || layout.height) + "px";
        frame.style.zoom = zoom;
      }
      // markers as much smaller as their rows are closer (matrices)
      var marked = [], sizes = [];
      if (zoom < 1 && hint && hint.markerScale) {
        (graph.data || []).forEach(function (trace, i) {
          var size = trace.marker && trace.marker.size;
          if (typeof size === "number") {
            marked.push(i);
            sizes.push(Math.max(4, Math.round(size * hint.markerScale)));
          }
        });
        graph.essMarkerSizes = [marked, marked.map(function (i) {
          return graph.data[i].marker.size; })];
      }
      var resized = marked.length
        ? window.Plotly.restyle(graph, {"marker.size": sizes}, marked) : Promise.resolve();
      resized.then(function () { return window.Plotly.relayout(graph, update); })
        .then(function () { return zoom < 1 ? trimBottom(graph) : null; })
        .then(function () { if (window.essClearRight) { window.essClearRight(graph); } });
    });
  }
  // A legend under the plot was given the rows it takes at the screen's narrowest width; on
  // the wider sheet it takes fewer: the room left between the axis and the legend goes.
  function trimBottom(graph) {
    var svg = graph.querySelector(".main-svg"), legend = graph.querySelector(".legend");
    var size = graph._fullLayout && graph._fullLayout._size;
    var layout = graph.layout || {};
    if (!svg || !legend || !size || !layout.height || !layout.margin) { return null; }
    var box = svg.getBoundingClientRect();
    if (!box.width) { return null; }
    var scale = svg.width.baseVal.value / box.width;
    var above = size.t + size.h;
    graph.querySelectorAll(".main-svg .xtick text, .main-svg .g-xtitle text").forEach(
      function (text) {
        var b = text.getBoundingClientRect();
        if (b.height > 0) { above = Math.max(above, (b.bottom - box.top) * scale); }
      });
    var gap = Math.floor((legend.getBoundingClientRect().top - box.top) * scale - above - 12);
    if (gap < 8 || gap >= layout.margin.b) { return null; }
    var frame = graph.parentElement;
    if (frame && frame.style.zoom) { frame.style.height = (layout.height - gap) + "px"; }
    return window.Plotly.relayout(graph, {height: layout.height - gap,
                                          "margin.b": layout.margin.b - gap});
  }
  function after() {
    saved.forEach(function (item) {
      var update = {width: item[1] === undefined ? null : item[1],
                    autosize: item[2] === undefined ? true : item[2]};
      if (item[3] !== undefined) { update.height = item[3]; }
      if (item[5] !== undefined) { update["margin.t"] = item[5]; }
      if (item[7] !== undefined) { update["margin.b"] = item[7]; }
      (item[6] || []).forEach(function (pad, i) {
        if (pad) { update["annotations[" + i + "].borderpad"] = pad; }
      });
      if (item[0].parentElement) {
        item[0].parentElement.style.height = item[4];
        item[0].parentElement.style.zoom = "";
      }
      var sized = item[0].essMarkerSizes;
      if (sized) {
        window.Plotly.restyle(item[0], {"marker.size": sized[1]}, sized[0]);
        item[0].essMarkerSizes = null;
      }
      window.Plotly.relayout(item[0], update);
    });
    saved = [];
  }
  essOnPrint(before, after);
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
  essOnPrint(open, close);
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
      if (!graph.essOriginal) {
        graph.essOriginal = {title: (layout.title && layout.title.text) || "",
                             top: (layout.margin || {}).t || 60,
                             height: layout.height || graph.offsetHeight};
      }
      var original = graph.essOriginal;
      var update = {"legend.orientation": "h", "legend.x": 0, "legend.xanchor": "left",
                    "title.font.size": 12, "margin.l": Math.min((layout.margin || {}).l || 80, 60),
                    "margin.r": 10};
      var drawn = width;
      if (room > 0 && width > room) { update.width = room; drawn = room; }
      // the title on as many lines as the screen's width needs, the figure taller by as much
      if (original.title && !/<(?!br>)/.test(original.title)) {
        var lines = wrapWords(original.title.replace(/<br>/g, " "),
                              Math.max(20, Math.floor((drawn - 20) / 7.2)));
        var extra = 16 * (lines.length - original.title.split("<br>").length);
        update["title.text"] = lines.join("<br>");
        update["margin.t"] = original.top + Math.max(0, extra);
        update.height = original.height + Math.max(0, extra);
      }
      // legend entries longer than the screen's width on two lines or more
      var chars = Math.max(16, Math.floor((drawn - 60) / 8.4));
      var names = [], indices = [];
      (graph.data || []).forEach(function (trace, i) {
        if (!trace.essName) { trace.essName = trace.name || ""; }
        var name = trace.essName;
        if (name && name.length > chars && !/<(?!br>)/.test(name)) {
          names.push(wrapWords(name.replace(/<br>/g, " "), chars).join("<br>"));
          indices.push(i);
        }
      });
      var named = names.length ? window.Plotly.restyle(graph, {name: names}, indices)
                               : Promise.resolve();
      named.then(function () { return window.Plotly.relayout(graph, update); })
           .then(function () { clearRight(graph); });
    });
  }
  function wrapWords(text, width) {
    var lines = [], line = "";
    text.split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }
  // a value written past the right edge (outside its bar) gets the margin it needs
  window.essClearRight = clearRight;
  function clearRight(graph) {
    var svg = graph.querySelector(".main-svg");
    if (!svg) { return; }
    var right = svg.getBoundingClientRect().right, over = 0;
    graph.querySelectorAll(".main-svg text").forEach(function (text) {
      if (text.closest(".hoverlayer") || !text.textContent.trim()) { return; }
      over = Math.max(over, text.getBoundingClientRect().right - right);
    });
    // measured on the page: a zoomed figure's own pixels are more
    var scale = svg.width && svg.width.baseVal && svg.width.baseVal.value
      ? svg.width.baseVal.value / svg.getBoundingClientRect().width : 1;
    over = over * (scale > 0 ? scale : 1);
    if (over > 1) {
      var margin = (graph.layout.margin || {}).r || 10;
      window.Plotly.relayout(graph, {"margin.r": Math.ceil(margin + over + 4)});
    }
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
