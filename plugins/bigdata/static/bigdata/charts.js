// Draws the analytics charts (templates/bigdata/dashboard/partials/chart.html) with the vendored
// ECharts: each <div class="bigdata-chart" data-option="ID"> takes its option from the JSON block
// ID (no inline script: the Content-Security-Policy runs none). A div with data-map="china" first
// registers the vendored province outline under the name "china", which makes ECharts draw the
// 南海诸岛 inset. Each drawn div gets data-rendered="1" (the browser tests wait for it).
// Click-through: an option may carry "_link": {"<data item name>": "<URL>", ...} (plain JSON, taken
// out before drawing); clicking that item (a province on the map, a bar, a slice) opens the URL.
(function () {
  var script = document.getElementById("bigdata-charts-script");
  var mapUrl = script ? script.getAttribute("data-china-map") : null;
  var chinaMap = null;

  function loadChina() {
    if (!chinaMap) {
      chinaMap = fetch(mapUrl, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (geo) { window.echarts.registerMap("china", geo); });
    }
    return chinaMap;
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-option"));
    if (!source) { return; }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    var option = JSON.parse(source.textContent);
    var links = option._link || null;
    delete option._link;
    // listened to before drawing: a chart without animation finishes inside setOption
    chart.on("finished", function () { el.setAttribute("data-rendered", "1"); });
    chart.setOption(option);
    if (links) {
      chart.on("click", function (params) {
        var url = links[params.name];
        if (url) { window.location.assign(url); }
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    document.querySelectorAll(".bigdata-chart").forEach(function (el) {
      if (el.getAttribute("data-map") === "china") {
        loadChina().then(function () { draw(el); });
      } else {
        draw(el);
      }
    });
  });
})();
