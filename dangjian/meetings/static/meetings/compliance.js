// Compliance summary chart (ECharts, served locally). Data comes from a json_script block.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("compliance-chart");
  var source = document.getElementById("compliance-chart-data");
  if (!holder || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(holder);
  var series = [["done", "#2fb344"], ["due_soon", "#f59f00"], ["due", "#adb5bd"], ["overdue", "#d63939"]].map(function (pair) {
    return { name: data.labels[pair[0]], type: "bar", stack: "total", data: data[pair[0]], itemStyle: { color: pair[1] } };
  });
  chart.setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 40, right: 10, top: 30, bottom: 50 },
    xAxis: { type: "category", data: data.kinds, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
