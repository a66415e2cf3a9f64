document.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("funnel-chart");
  var script = document.getElementById("financing-figures");
  if (!node || !script || !window.echarts) return;
  var data = JSON.parse(script.textContent);
  var chart = window.echarts.init(node);
  chart.setOption({
    tooltip: { trigger: "item" },
    series: [{ type: "funnel", sort: "none", left: "10%", width: "80%", label: { formatter: "{b}：{c}" },
      data: data.funnel, itemStyle: { borderColor: "#fff" } }],
  });
});
