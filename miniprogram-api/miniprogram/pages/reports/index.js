// 手机报表 for the store owner: what my store bought, by month (a uCharts column chart on a 2d canvas, the figures listed
// under it) and by category (amount, quantity, share), from GET /api/reports/purchases (default: the last 6 months;
// orders not cancelled or rejected), and what it buys most (常购清单).
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')
const { drawColumnChart } = require('../../utils/chart.js')

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
      drawColumnChart(this, '#chart', months.map(m => m.label), '进货额（元）', months.map(m => Math.round(m.amountFen) / 100))
    }
  }
})
