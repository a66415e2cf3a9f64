// Figures page chart: data comes from the json_script block (no inline script under the CSP).
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("chart");
  var source = document.getElementById("chart-data");
  if (!holder || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = window.echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "axis" },
    // Legend below the chart and room kept for the axis names and the rotated department names, so nothing
    // overlaps: the legend used to sit on top of the axis names (件, %).
    legend: { data: ["登记量", "满意率", "按时答复率"], bottom: 0 },
    grid: { top: 40, left: 16, right: 16, bottom: 36, containLabel: true },
    xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 30 } },
    yAxis: [{ type: "value", name: "件" }, { type: "value", name: "%", max: 100 }],
    series: [
      { name: "登记量", type: "bar", data: data.received },
      { name: "满意率", type: "line", yAxisIndex: 1, data: data.satisfaction },
      { name: "按时答复率", type: "line", yAxisIndex: 1, data: data.reply }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
