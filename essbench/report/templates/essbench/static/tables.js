/* The key figures table of a comparison: a click on an indicator's heading ranks the
   territories of each group (kind of authority) by it, largest first; a second click, smallest
   first. Unknown values stay at the end of their group; equal values keep their order. */
(function () {
  function key(cell) {
    var v = cell ? cell.getAttribute("data-sort") : null;
    return v === null || v === "" ? null : parseFloat(v);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.ess-sort") : null;
    if (!button) { return; }
    var table = button.closest("table");
    var column = parseInt(button.getAttribute("data-col"), 10);
    var heading = button.parentElement;
    var descending = heading.getAttribute("aria-sort") !== "descending";
    table.querySelectorAll("thead th").forEach(function (th) {
      if (th.hasAttribute("aria-sort")) { th.setAttribute("aria-sort", "none"); }
    });
    heading.setAttribute("aria-sort", descending ? "descending" : "ascending");
    table.querySelectorAll("tbody").forEach(function (body) {
      var rows = Array.prototype.slice.call(body.querySelectorAll("tr:not(.ess-group)"));
      rows.sort(function (a, b) {
        var x = key(a.children[column]), y = key(b.children[column]);
        if (x === null || y === null) { return (x === null) - (y === null); }
        return descending ? y - x : x - y;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
