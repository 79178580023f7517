// 智慧党建 dashboard (数据看板) and its full-screen mode (大屏): ECharts served locally, data from
// a json_script tag (CSP forbids inline scripts). Clicking a bar or a slice opens the scoped
// list that makes the number up; the 大屏 reloads itself every data-refresh seconds.
(function () {
  "use strict";
  var RED = ["#c8161d", "#e0573f", "#f08c5a", "#f6c244", "#9aa0ac", "#5b7db1", "#7fb069"];
  var screen = document.body.classList.contains("dash-screen");
  var text = screen ? "#f5e6c8" : "#495057";
  var size = screen ? 18 : 12;

  function bar(f) {
    var percent = f.unit === "%";
    return {
      color: [RED[0]],
      grid: { left: 8, right: 56, top: 4, bottom: 4, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      xAxis: { type: "value", max: percent ? 100 : null, minInterval: 1, show: !screen,
               axisLabel: { color: text, fontSize: size }, splitLine: { lineStyle: { color: "#eef0f3" } } },
      yAxis: { type: "category", inverse: true, axisTick: { show: false }, axisLabel: { color: text, fontSize: size },
               data: f.items.map(function (i) { return i.label; }) },
      series: [{ type: "bar", barMaxWidth: screen ? 36 : 22, data: f.items.map(function (i) { return i.value; }),
                 label: { show: true, position: "right", color: text, fontSize: size,
                          formatter: percent ? "{c}%" : "{c}" },
                 itemStyle: { borderRadius: [0, 3, 3, 0] } }]
    };
  }

  function stack(f) {
    if (!f.series.length) { return bar(f); }
    return {
      color: ["#2fb344", RED[0], "#f6c244"],
      legend: { top: 0, textStyle: { color: text, fontSize: size } },
      grid: { left: 8, right: 16, top: screen ? 48 : 28, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      xAxis: { type: "value", minInterval: 1, show: !screen, axisLabel: { color: text, fontSize: size } },
      yAxis: { type: "category", inverse: true, axisLabel: { color: text, fontSize: size },
               data: f.items.map(function (i) { return i.label; }) },
      series: f.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "all", data: s.values, barMaxWidth: screen ? 36 : 22 };
      })
    };
  }

  function pie(f) {
    return {
      color: RED,
      tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}：{c}（{d}%）" },
      legend: { orient: "vertical", right: 8, top: "middle", itemWidth: 12, itemHeight: 12,
                textStyle: { color: text, fontSize: size } },
      series: [{ type: "pie", radius: ["40%", "75%"], center: ["36%", "50%"],
                 data: f.items.map(function (i) { return { name: i.label, value: i.value }; }),
                 label: { position: "inside", color: "#fff", fontWeight: "bold", fontSize: size,
                          formatter: function (p) { return p.percent >= 6 ? Math.round(p.percent) + "%" : ""; } },
                 itemStyle: { borderColor: screen ? "#3b0b0b" : "#fff", borderWidth: 2 } }]
    };
  }

  function draw() {
    if (typeof echarts === "undefined") { return; }
    var source = document.getElementById("dashboard-data");
    if (!source) { return; }
    var figures = {};
    JSON.parse(source.textContent).forEach(function (f) { figures[f.key] = f; });
    var charts = [];
    Array.prototype.forEach.call(document.querySelectorAll("[data-figure]"), function (box) {
      var f = figures[box.getAttribute("data-figure")];
      if (!f || !f.items.length) { return; }
      var total = f.items.reduce(function (sum, i) { return sum + i.value; }, 0);
      if (f.chart === "pie" && total === 0) {  // an empty donut would draw equal slices of nothing
        box.classList.add("dash-empty");
        box.textContent = box.getAttribute("data-empty") || "";
        return;
      }
      var chart = echarts.init(box, null, { renderer: "svg" });
      chart.setOption(f.chart === "pie" ? pie(f) : f.chart === "stack" ? stack(f) : bar(f));
      if (!screen) {
        chart.on("click", function (p) {
          var item = f.items[p.dataIndex];
          if (item && item.url) { window.location.href = item.url; }
        });
      }
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  function refresh() {
    var seconds = parseInt(document.body.getAttribute("data-refresh") || "0", 10);
    if (seconds > 0) { window.setTimeout(function () { window.location.reload(); }, seconds * 1000); }
  }

  function start() { draw(); if (screen) { refresh(); } }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
