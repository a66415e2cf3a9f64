document.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("benefit-chart");
  var data = JSON.parse(document.getElementById("policy-figures").textContent);
  if (!node || !window.echarts) return;
  var chart = window.echarts.init(node);
  chart.setOption({
    tooltip: {},
    xAxis: { type: "category", data: data.benefit.map(function (r) { return r[0]; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.benefit.map(function (r) { return r[1]; }), itemStyle: { color: "#c0392b" } }],
  });
});
