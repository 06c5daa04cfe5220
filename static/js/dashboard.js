/* The dashboard's charts (领导驾驶舱), drawn with the vendored ECharts.
 *
 * Each element with data-chart names, in data-source, the id of a json_script block holding its data: its type
 * (funnel, bar, pie), its title, its points, every point with the `url` of the list of records behind it. A click
 * on a bar, a slice or a funnel step opens that list. The toolbox saves a chart as an image. No inline script:
 * the page's CSP allows scripts from this site only, and this file is all there is.
 */
(function () {
  "use strict";

  var COLORS = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545", "#198754", "#0dcaf0", "#6c757d"];

  function base(spec, printing) {
    return {
      color: COLORS,
      animation: !printing,
      animationDuration: 300,
      title: { text: spec.title, left: 0, top: 0, textStyle: { fontSize: 14, fontWeight: "normal" } },
      toolbox: printing ? { show: false } : {
        right: 8,
        top: 0,
        feature: { saveAsImage: { title: spec.save_label, name: spec.title, pixelRatio: 2 } }
      },
      // Drawn inside the chart: an HTML tooltip would carry style attributes, which the CSP refuses.
      tooltip: { show: !printing, trigger: spec.type === "bar" ? "axis" : "item", renderMode: "richText", confine: true }
    };
  }

  function empty(spec) {
    return {
      type: "text",
      left: "center",
      top: "middle",
      style: { text: spec.empty_label, fill: "#6c757d", fontSize: 14 }
    };
  }

  function funnel(spec, option) {
    option.series = [{
      type: "funnel",
      sort: "none",
      top: 36,
      bottom: 8,
      left: "10%",
      width: "80%",
      minSize: "24%",
      gap: 2,
      label: { show: true, position: "inside", formatter: "{b}：{c}" },
      data: spec.data
    }];
    return option;
  }

  function pie(spec, option) {
    if (!spec.data.length) {
      option.graphic = [empty(spec)];
      return option;
    }
    option.legend = { bottom: 0, type: "scroll" };
    option.series = [{
      type: "pie",
      radius: ["30%", "62%"],
      center: ["50%", "52%"],
      label: { formatter: "{b}：{c}" },
      data: spec.data
    }];
    return option;
  }

  function bar(spec, option) {
    if (!spec.categories.length) {
      option.graphic = [empty(spec)];
      return option;
    }
    var many = spec.categories.length > 6;
    option.legend = { top: 24, type: "scroll" };
    option.grid = { top: 64, left: 8, right: 8, bottom: 8, containLabel: true };
    option.xAxis = {
      type: "category",
      data: spec.categories,
      axisLabel: { interval: 0, rotate: many ? 35 : 0 }
    };
    option.yAxis = spec.axes.map(function (axis) {
      return { type: "value", minInterval: axis === 0 ? 1 : null, splitLine: { show: axis === 0 } };
    });
    option.series = spec.series.map(function (s) {
      return { type: "bar", name: s.name, yAxisIndex: s.axis, data: s.data, barMaxWidth: 28 };
    });
    return option;
  }

  var BUILDERS = { funnel: funnel, pie: pie, bar: bar };

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-source"));
    if (!source || !window.echarts) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var printing = element.getAttribute("data-print") === "1";
    var build = BUILDERS[spec.type];
    if (!build) {
      return;
    }
    var chart = window.echarts.init(element, null, { renderer: printing ? "svg" : "canvas" });
    chart.on("finished", function () {
      element.setAttribute("data-rendered", "1");
    });
    chart.setOption(build(spec, base(spec, printing)));
    chart.on("click", function (params) {
      var point = params.data;
      if (point && point.url) {
        window.location.assign(point.url);
      }
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  function start() {
    document.querySelectorAll("[data-chart]").forEach(draw);
    document.querySelectorAll("[data-action=print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
