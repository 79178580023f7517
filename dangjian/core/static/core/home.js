// 智慧党建 workbench charts (education bars, age donut) for the user's organizations.
// Data comes from json_script tags (CSP forbids inline scripts); echarts is served locally.
(function () {
  "use strict";
  var RED = ["#c8161d", "#e0573f", "#f08c5a", "#f6c244", "#9aa0ac"];

  function barOption(data) {
    return {
      color: [RED[0]],
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#eef0f3" } } },
      yAxis: { type: "category", data: data.categories, inverse: true, axisTick: { show: false } },
      series: [{
        type: "bar", data: data.values, barMaxWidth: 22,
        label: { show: true, position: "right", color: "#495057" },
        itemStyle: { borderRadius: [0, 3, 3, 0] }
      }]
    };
  }

  function pieOption(data) {
    var items = data.categories.map(function (name, i) { return { name: name, value: data.values[i] }; });
    return {
      color: RED,
      tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}：{c}（{d}%）" },
      legend: { orient: "vertical", right: 8, top: "middle", itemWidth: 12, itemHeight: 12 },
      series: [{
        type: "pie", radius: ["42%", "78%"], center: ["36%", "50%"], data: items,
        label: { position: "inside", color: "#fff", fontWeight: "bold",
                 formatter: function (p) { return p.percent >= 5 ? Math.round(p.percent) + "%" : ""; } },
        itemStyle: { borderColor: "#fff", borderWidth: 2 }
      }]
    };
  }

  function draw() {
    if (typeof echarts === "undefined") { return; }
    var boxes = document.querySelectorAll("[data-chart]");
    var charts = [];
    Array.prototype.forEach.call(boxes, function (box) {
      var source = document.getElementById(box.getAttribute("data-source"));
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      var chart = echarts.init(box, null, { renderer: "svg" });
      chart.setOption(box.getAttribute("data-chart") === "pie" ? pieOption(data) : barOption(data));
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
