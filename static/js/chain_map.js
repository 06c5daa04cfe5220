/* The chain map (招商图谱): segments upstream → downstream as an ECharts graph, coloured by state.
 *
 * Reads the data the page wrote with json_script ("chain-map-data"); no inline script (CSP).
 * The same figures are in the table below the chart, which is what print and screen readers use.
 * Clicking a segment scrolls to its row in the table, where every count links to its list.
 */
(function () {
  "use strict";

  var COLORS = { present: "#198754", weak: "#fd7e14", missing: "#dc3545" };
  var HEADER_COLOR = "#0d6efd";

  // Margins of the diagram inside its box; the labels sit to the right of each node.
  var PAD = { left: 50, right: 170, top: 30, bottom: 25 };

  function buildOption(data, width, height) {
    var esc = echarts.format.encodeHTML;
    var labels = data.labels || {};
    var columns = data.positions.map(function (p) {
      return { position: p.position, label: p.label, items: [] };
    });
    var byPosition = {};
    columns.forEach(function (c) { byPosition[c.position] = c; });
    data.segments.forEach(function (s) {
      if (byPosition[s.position]) { byPosition[s.position].items.push(s); }
    });
    var rows = Math.max.apply(null, columns.map(function (c) { return c.items.length; }).concat([1]));
    // Coordinates in pixels of the box, so the graph is drawn at scale 1 (a node stays round).
    var innerWidth = Math.max(width - PAD.left - PAD.right, 100);
    var innerHeight = Math.max(height - PAD.top - PAD.bottom, 60);
    var columnGap = columns.length > 1 ? innerWidth / (columns.length - 1) : 0;
    var rowGap = innerHeight / rows;
    var nodes = [];
    var links = [];
    columns.forEach(function (column, i) {
      var x = i * columnGap;
      nodes.push({
        id: "pos-" + column.position,
        name: column.label,
        x: x,
        y: 0,
        symbol: "roundRect",
        symbolSize: [72, 26],
        itemStyle: { color: HEADER_COLOR },
        label: { show: true, position: "inside", color: "#fff", fontWeight: "bold" },
        tooltip: { show: false }
      });
      if (i > 0) {
        links.push({
          source: "pos-" + columns[i - 1].position,
          target: "pos-" + column.position,
          lineStyle: { width: 3, color: HEADER_COLOR, curveness: 0 },
          symbol: ["none", "arrow"],
          symbolSize: 10
        });
      }
      column.items.forEach(function (s, j) {
        nodes.push({
          id: "seg-" + s.id,
          name: s.name,
          segment: s,
          x: x,
          y: (j + 1) * rowGap,
          symbolSize: 14 + Math.min(s.local_count, 10) * 2,
          itemStyle: { color: COLORS[s.state] || "#6c757d" },
          label: { show: true, position: "right", formatter: s.name + "（" + s.state_label + "）" }
        });
        links.push({ source: "pos-" + column.position, target: "seg-" + s.id });
      });
    });
    return {
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: function (params) {
          var s = params.data && params.data.segment;
          if (!s) { return ""; }
          var leaders = s.leaders.map(function (l) { return esc(l.kind_label + " " + l.name); }).join("、");
          return [
            "<strong>" + esc(s.position_label + " · " + s.name) + "</strong>",
            esc(labels.state + "：" + s.state_label),
            esc(labels.local + "：" + s.local_count + labels.unit + "（" + labels.producing + " " + s.producing_count + "）"),
            esc(labels.targets + "：" + s.target_count + labels.unit),
            leaders ? esc(labels.leaders + "：") + leaders : "",
            esc(labels.leads + "：" + s.lead_count + "　" + labels.projects + "：" + s.project_count)
          ].filter(Boolean).join("<br>");
        }
      },
      series: [{
        type: "graph",
        layout: "none",
        roam: false,
        left: PAD.left,
        right: PAD.right,
        top: PAD.top,
        bottom: PAD.bottom,
        data: nodes,
        links: links,
        edgeSymbol: ["none", "none"],
        lineStyle: { color: "#ced4da", width: 1, curveness: 0.15 },
        label: { fontSize: 12 },
        emphasis: { focus: "adjacency" }
      }]
    };
  }

  function init() {
    var holder = document.getElementById("chain-map-chart");
    var source = document.getElementById("chain-map-data");
    if (!holder || !source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    if (!data.segments || !data.segments.length) { return; }
    var chart = echarts.init(holder, null, { renderer: "canvas" });
    chart.setOption(buildOption(data, chart.getWidth(), chart.getHeight()));
    chart.on("click", function (params) {
      var s = params.data && params.data.segment;
      if (!s) { return; }
      var row = document.getElementById("segment-" + s.id);
      if (row) {
        row.scrollIntoView({ behavior: "smooth", block: "center" });
        row.classList.add("table-active");
        window.setTimeout(function () { row.classList.remove("table-active"); }, 2000);
      }
    });
    window.addEventListener("resize", function () {
      chart.resize();
      chart.setOption(buildOption(data, chart.getWidth(), chart.getHeight()));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
