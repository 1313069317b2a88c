// The owner's report: what the store bought by month (from its own orders, not cancelled or rejected) and what it buys
// most (常购清单). The API has no per-store report by category, so this page does not show one.
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', months: [], top: [] },
  methods: {
    onLoad() { watchNetwork(this); return this.refresh() },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      await run(this, async () => {
        const orders = []
        let before
        for (let i = 0; i < 10; i++) {
          const page = await api.orders({ limit: 100, before })
          orders.push(...page.items)
          if (!page.nextBefore) break
          before = page.nextBefore
        }
        const byMonth = {}
        orders.filter(o => o.status !== 'cancelled' && o.status !== 'rejected').forEach(o => {
          const m = o.createdAt.slice(0, 7)
          byMonth[m] = byMonth[m] || { month: m, fen: 0, orders: 0 }
          byMonth[m].fen += o.totalFen
          byMonth[m].orders += 1
        })
        const months = Object.keys(byMonth).sort().reverse().slice(0, 12).map(k => byMonth[k])
        const max = Math.max(1, ...months.map(m => m.fen))
        const top = await api.frequent().catch(() => [])
        this.setData({
          months: months.map(m => ({ label: m.month.replace('-', '年') + '月', text: fmt.yuan(m.fen), orders: m.orders, pct: Math.round(m.fen * 100 / max) })),
          top: top.slice(0, 10).map(f => ({ sku: f.item.sku, name: f.item.name, times: f.timesOrdered }))
        })
      })
    }
  }
})
