// The agent's own performance (attributed revenue by proxy / own stores / share links, conversions, visits) and its
// stores' sales by month: a uCharts column chart on a 2d canvas, with the same figures listed below it.
const api = require('../../../utils/api.js')
const fmt = require('../../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../../utils/page.js')
const UCharts = require('@qiun/ucharts')

function monthStart(d, back) {
  const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1))
  return x.toISOString().slice(0, 10)
}

Component({
  data: { loading: false, error: '', net: '', me: null, months: [], chartDrawn: false },
  methods: {
    onLoad() { watchNetwork(this); return this.refresh() },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      const now = new Date(Date.now() + 8 * 3600000)   // Shanghai date
      const from = monthStart(now, 5)
      const to = now.toISOString().slice(0, 10)
      await run(this, async () => {
        const [perf, sales] = await Promise.all([api.myPerformance(monthStart(now, 0), to), api.mySales({ from, to, groupBy: 'month' })])
        const me = perf.agents[0] || null
        const max = Math.max(1, ...sales.rows.map(r => r.revenueFen))
        this.setData({
          me: me && Object.assign({}, me, { proxyText: fmt.yuan(me.proxyFen), ownerText: fmt.yuan(me.ownerFen), shareText: fmt.yuan(me.shareLinkFen) }),
          months: sales.rows.map(r => ({ label: r.label, text: r.revenueText, orders: r.orders, pct: Math.round(r.revenueFen * 100 / max) }))
        })
        this.drawChart(sales.rows)
      })
    },
    drawChart(rows) {
      wx.createSelectorQuery().in(this).select('#chart').fields({ node: true, size: true }).exec(res => {
        const r = res && res[0]
        if (!r || !r.node) return
        const info = wx.getWindowInfo ? wx.getWindowInfo() : wx.getSystemInfoSync()
        const pr = info.pixelRatio || 2
        r.node.width = r.width * pr
        r.node.height = r.height * pr
        this.chartOptions = {
          type: 'column', canvas2d: true, pixelRatio: pr,
          width: r.width * pr, height: r.height * pr, animation: false, background: '#FFFFFF', color: ['#1f6feb'],
          categories: rows.map(x => x.label.replace(/^\d{4}年/, '')),
          series: [{ name: '销售额（元）', data: rows.map(x => Math.round(x.revenueFen) / 100) }],
          legend: { show: false }, dataLabel: true,
          xAxis: { disableGrid: true }, yAxis: { data: [{ min: 0 }] },
          extra: { column: { width: 18 } }
        }
        this.chart = new UCharts(Object.assign({ context: r.node.getContext('2d') }, this.chartOptions))
        this.setData({ chartDrawn: true })
      })
    }
  }
})
