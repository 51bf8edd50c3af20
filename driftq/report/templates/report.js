(function () {
  "use strict";
  // Filters hide whole <tbody class="finding"> groups (a row and its detail row).
  var table = document.getElementById("findings-table");
  if (!table) { return; }
  var text = document.getElementById("filter-text");
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var groups = Array.prototype.slice.call(table.querySelectorAll("tbody.finding"));
  var shown = document.getElementById("shown-count");
  var none = document.getElementById("no-match");

  function apply() {
    var words = text.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var want = {};
    selects.forEach(function (s) { if (s.value) { want[s.getAttribute("data-filter")] = s.value; } });
    var count = 0;
    groups.forEach(function (g) {
      var ok = Object.keys(want).every(function (k) { return g.getAttribute("data-" + k) === want[k]; });
      if (ok && words.length) {
        var hay = g.getAttribute("data-text");
        ok = words.every(function (w) { return hay.indexOf(w) !== -1; });
      }
      g.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = String(count);
    none.hidden = count !== 0;
  }

  // Links like #findings?account=prod&region=us-east-1 (the matrix cells) set the filters.
  function fromHash() {
    var hash = window.location.hash;
    var at = hash.indexOf("?");
    if (hash.indexOf("#findings") !== 0 || at === -1) { return; }
    var params = new URLSearchParams(hash.slice(at + 1));
    selects.forEach(function (s) {
      var value = params.get(s.getAttribute("data-filter")) || "";
      s.value = Array.prototype.some.call(s.options, function (o) { return o.value === value; }) ? value : "";
    });
    text.value = params.get("q") || "";
    apply();
    document.getElementById("findings").scrollIntoView();
  }

  document.getElementById("filter-reset").addEventListener("click", function () {
    selects.forEach(function (s) { s.value = ""; });
    text.value = "";
    apply();
  });
  text.addEventListener("input", apply);
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  window.addEventListener("hashchange", fromHash);
  apply();
  fromHash();
})();
