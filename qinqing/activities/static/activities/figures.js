document.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("kind-chart");
  var script = document.getElementById("activities-figures");
  if (!node || !script || !window.echarts) return;
  var data = JSON.parse(script.textContent);
  var chart = window.echarts.init(node);
  chart.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 40, right: 20, top: 20, bottom: 40 },
    xAxis: { type: "category", data: data.kinds.map(function (k) { return k.name; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.kinds.map(function (k) { return k.value; }) }],
  });
});
