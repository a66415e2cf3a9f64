// One bar chart per question from the server's counts (echarts served locally).
document.addEventListener("DOMContentLoaded", function () {
  var script = document.getElementById("survey-charts");
  if (!script || !window.echarts) return;
  var charts = JSON.parse(script.textContent);
  Object.keys(charts).forEach(function (code) {
    var node = document.getElementById("chart-" + code);
    if (!node) return;
    var data = charts[code];
    window.echarts.init(node).setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.labels, inverse: true },
      series: [{ type: "bar", data: data.counts, label: { show: true, position: "right" } }],
    });
  });
});
