document.addEventListener("DOMContentLoaded", function () {
  var script = document.getElementById("health-figures");
  if (!script || !window.echarts) return;
  var data = JSON.parse(script.textContent);
  [["grade-chart", data.grades], ["weak-chart", data.weakest]].forEach(function (pair) {
    var node = document.getElementById(pair[0]);
    if (!node) return;
    window.echarts.init(node).setOption({
      tooltip: {},
      xAxis: { type: "category", data: pair[1].map(function (d) { return d.name; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: pair[1].map(function (d) { return d.value; }), itemStyle: { color: "#b71c1c" } }],
    });
  });
});
