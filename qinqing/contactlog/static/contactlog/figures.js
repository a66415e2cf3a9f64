document.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("purpose-chart");
  var script = document.getElementById("contactlog-figures");
  if (!node || !script || !window.echarts) return;
  var data = JSON.parse(script.textContent);
  var chart = window.echarts.init(node);
  chart.setOption({
    tooltip: { trigger: "item" },
    xAxis: { type: "category", data: data.map(function (d) { return d.name; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.map(function (d) { return d.value; }) }],
  });
});
