// Dashboard charts: one per section, data from the json_script block (no inline script under the CSP).
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("chart-data");
  if (!source || !window.echarts) { return; }
  JSON.parse(source.textContent).forEach(function (spec) {
    var holder = document.getElementById(spec.id);
    if (!holder) { return; }
    var chart = window.echarts.init(holder);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: spec.series.map(function (s) { return s.name; }) },
      xAxis: { type: "category", data: spec.labels, axisLabel: { rotate: 20 } },
      yAxis: { type: "value" },
      series: spec.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
