document.addEventListener("DOMContentLoaded", function () {
  var script = document.getElementById("mediation-figures-data");
  if (!script || !window.echarts) return;
  var data = JSON.parse(script.textContent);
  [["source-chart", data.sources], ["type-chart", data.types]].forEach(function (pair) {
    var node = document.getElementById(pair[0]);
    if (!node) return;
    window.echarts.init(node).setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"], label: { formatter: "{b}：{c}" }, data: pair[1] }],
    });
  });
});
