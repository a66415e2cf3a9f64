document.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("health-radar");
  var script = document.getElementById("health-radar-data");
  if (!node || !script || !window.echarts) return;
  var data = JSON.parse(script.textContent);
  var chart = window.echarts.init(node);
  chart.setOption({
    tooltip: {},
    legend: { bottom: 0, data: [data.labels.mine, data.labels.median] },
    radar: { indicator: data.indicators, radius: "62%", axisName: { color: "#444" } },
    series: [{ type: "radar", data: [
      { name: data.labels.mine, value: data.mine, areaStyle: { opacity: 0.25 } },
      { name: data.labels.median, value: data.median, lineStyle: { type: "dashed" } },
    ] }],
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
