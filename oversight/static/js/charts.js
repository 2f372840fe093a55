// Every element with data-chart holds an ECharts option as JSON; draw it, and redraw on resize.
document.querySelectorAll('[data-chart]').forEach(function (el) {
  var chart = echarts.init(el);
  chart.setOption(Object.assign({animation: false}, JSON.parse(el.dataset.chart)));
  window.addEventListener('resize', function () { chart.resize(); });
});
