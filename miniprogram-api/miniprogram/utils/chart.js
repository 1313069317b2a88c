// One column chart (uCharts on a 2d canvas) for the mobile reports: the store owner's purchases and the agent's sales.
// Sets page.chartOptions (the screens script reads them), page.chart, and data.chartDrawn when drawn.
const UCharts = require('@qiun/ucharts')

function drawColumnChart(page, selector, categories, seriesName, values) {
  wx.createSelectorQuery().in(page).select(selector).fields({ node: true, size: true }).exec(res => {
    const r = res && res[0]
    if (!r || !r.node) return
    const info = wx.getWindowInfo ? wx.getWindowInfo() : wx.getSystemInfoSync()
    const pr = info.pixelRatio || 2
    r.node.width = r.width * pr
    r.node.height = r.height * pr
    page.chartOptions = {
      type: 'column', canvas2d: true, pixelRatio: pr,
      width: r.width * pr, height: r.height * pr, animation: false, background: '#FFFFFF', color: ['#1f6feb'],
      categories,
      series: [{ name: seriesName, data: values }],
      legend: { show: false }, dataLabel: true,
      xAxis: { disableGrid: true }, yAxis: { data: [{ min: 0 }] },
      extra: { column: { width: 18 } }
    }
    page.chart = new UCharts(Object.assign({ context: r.node.getContext('2d') }, page.chartOptions))
    page.setData({ chartDrawn: true })
  })
}

module.exports = { drawColumnChart }
