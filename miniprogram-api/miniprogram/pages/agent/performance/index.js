// The agent's own performance (attributed revenue by proxy / own stores / share links, conversions, visits) and its
// stores' sales by month: a uCharts column chart on a 2d canvas, with the same figures listed below it.
const api = require('../../../utils/api.js')
const fmt = require('../../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../../utils/page.js')
const { drawColumnChart } = require('../../../utils/chart.js')

function monthStart(d, back) {
  const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1))
  return x.toISOString().slice(0, 10)
}

Component({
  data: { loading: false, error: '', net: '', me: null, card: null, chat: null, months: [], chartDrawn: false },
  methods: {
    onLoad() { watchNetwork(this); return this.refresh() },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      const now = new Date(Date.now() + 8 * 3600000)   // Shanghai date
      const from = monthStart(now, 5)
      const to = now.toISOString().slice(0, 10)
      await run(this, async () => {
        const [perf, sales, score, chat] = await Promise.all([api.myPerformance(monthStart(now, 0), to), api.mySales({ from, to, groupBy: 'month' }),
          api.myScorecard(monthStart(now, 0), to), api.myChatFigures(monthStart(now, 0), to)])
        const me = perf.agents[0] || null
        const s = score.agents[0] || null
        const max = Math.max(1, ...sales.rows.map(r => r.revenueFen))
        this.setData({
          me: me && Object.assign({}, me, { proxyText: fmt.yuan(me.proxyFen), ownerText: fmt.yuan(me.ownerFen), shareText: fmt.yuan(me.shareLinkFen) }),
          card: s && {
            rank: s.rank, of: score.agentsRanked, gp: fmt.yuan(s.grossProfitFen), previous: fmt.yuan(s.previousGrossProfitFen),
            margin: s.margin === null ? '—' : (s.margin * 100).toFixed(1) + '%', activeStores: s.activeStores,
            moved: s.movedToSelfOrderingCount, movedNames: s.movedToSelfOrdering.map(x => x.name).join('、'),
            grown: s.categoriesGrownCount, grownNames: s.categoriesGrown.map(x => x.name).join('、'), visits: s.storeVisits, calls: s.calls
          },
          // 聊天成交: what the cards I sent in chats brought (sent → opened → ordered), the stores that ordered first
          chat: {
            sent: chat.cardsSent, opened: chat.cardsOpened, orders: chat.orders, revenue: fmt.yuan(chat.revenueFen),
            reached: chat.storesReached, ordered: chat.storesOrdered,
            stores: chat.stores.slice().sort((a, b) => b.revenueFen - a.revenueFen || b.cardsOpened - a.cardsOpened).slice(0, 10)
              .map(x => ({ id: x.customerId, name: x.name, text: `${x.cardsSent} 张卡片 · ${x.cardsOpened} 次打开 · ${x.orders} 单 · ${fmt.yuan(x.revenueFen)}` }))
          },
          months: sales.rows.map(r => ({ label: r.label, text: r.revenueText, orders: r.orders, pct: Math.round(r.revenueFen * 100 / max) }))
        })
        this.drawChart(sales.rows)
      })
    },
    drawChart(rows) {
      drawColumnChart(this, '#chart', rows.map(x => x.label.replace(/^\d{4}年/, '')), '销售额（元）', rows.map(x => Math.round(x.revenueFen) / 100))
    }
  }
})
