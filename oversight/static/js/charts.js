// Every element with data-chart holds an ECharts option as JSON; draw it, and redraw on resize.
// data-chart-links maps a clicked item's name to the page that lists its records (drill-down).
document.querySelectorAll('[data-chart]').forEach(function (el) {
  var chart = echarts.init(el);
  chart.setOption(Object.assign({animation: false}, JSON.parse(el.dataset.chart)));
  window.addEventListener('resize', function () { chart.resize(); });
  if (el.dataset.chartLinks) {
    var links = JSON.parse(el.dataset.chartLinks);
    chart.on('click', function (params) {
      // A stacked series may link each part: "红灯|区财政局" before "区财政局".
      var url = links[params.seriesName + '|' + params.name] || links[params.name];
      if (url) { window.location.href = url; }
    });
  }
});
