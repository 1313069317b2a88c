// 手机报表 for the store owner: what my store bought, by month (a uCharts column chart on a 2d canvas, the figures listed
// under it) and by category (amount, quantity, share), from GET /api/reports/purchases (default: the last 6 months;
// orders not cancelled or rejected), and what it buys most (常购清单).
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')
const UCharts = require('@qiun/ucharts')

Component({
  data: { loading: false, error: '', net: '', period: '', total: null, months: [], categories: [], top: [], chartDrawn: false },
  methods: {
    onLoad() { watchNetwork(this); return this.refresh() },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      await run(this, async () => {
        const [r, top] = await Promise.all([api.purchases(), api.frequent().catch(() => [])])
        const max = Math.max(1, ...r.months.map(m => m.amountFen))
        const all = Math.max(1, r.categories.reduce((a, c) => a + c.amountFen, 0))
        this.setData({
          period: fmt.date(r.from) + ' 至 ' + fmt.date(r.to),
          total: { text: r.amountText, orders: r.orders, quantity: r.quantity },
          months: r.months.slice().reverse().map(m => ({ month: m.month, label: m.month.replace('-', '年') + '月', text: m.amountText, orders: m.orders,
            quantity: m.quantity, pct: Math.round(m.amountFen * 100 / max) })),
          categories: r.categories.map(c => ({ id: c.categoryId, name: c.name, text: c.amountText, quantity: c.quantity, orders: c.orders,
            share: Math.round(c.amountFen * 1000 / all) / 10 })),
          top: top.slice(0, 10).map(f => ({ sku: f.item.sku, name: f.item.name, times: f.timesOrdered }))
        })
        this.drawChart(r.months)
      })
    },
    drawChart(months) {
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
          categories: months.map(m => m.label),
          series: [{ name: '进货额（元）', data: months.map(m => Math.round(m.amountFen) / 100) }],
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
