// An agent's stores with their figures and alerts, sorted by what needs a visit first: stores with an ordering alert,
// then the ones whose last order is oldest (never ordered first), then the rest. At the top, 今日拜访 (GET /api/agent/visit-today):
// the stores whose lifecycle slipped or that are declining or dormant, with the server's reason.
const api = require('../../../utils/api.js')
const fmt = require('../../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../../utils/page.js')

function daysSince(iso, now) {
  if (!iso) return null
  return Math.floor((now - Date.parse(iso)) / 86400000)
}

function sortStores(stores, alerts, now) {
  const byId = {}
  alerts.forEach(a => { (byId[a.customerId] = byId[a.customerId] || []).push(a) })
  return stores.map(s => {
    const a = byId[s.id] || []
    const since = daysSince(s.lastOrderAt, now)
    return Object.assign({}, s, {
      alerts: a.map(x => x.reasonZh),
      since,
      lastOrderText: s.lastOrderAt ? fmt.date(s.lastOrderAt) + '（' + since + ' 天前）' : '还没有下过单',
      creditText: s.creditLimitFen ? fmt.yuan(s.creditLimitFen) : '不限',
      // lower sorts first
      rank: (a.length ? 0 : 1e6) - (since == null ? 1e5 : since) - (a.length ? a.reduce((m, x) => Math.max(m, x.daysSinceLastOrder || 0), 0) : 0)
    })
  }).sort((x, y) => x.rank - y.rank || x.id - y.id)
}

Component({
  data: { loading: false, error: '', net: '', name: '', q: '', stores: [], visitToday: [] },
  methods: {
    onLoad() {
      watchNetwork(this)
      const s = api.session()
      if (!s) return wx.reLaunch({ url: '/pages/login/index' })
      this.setData({ name: s.name || '' })
      return this.refresh()
    },
    onUnload() { unwatchNetwork(this) },
    onPullDownRefresh() { return this.refresh().then(() => wx.stopPullDownRefresh()) },
    input(e) { this.setData({ q: e.detail.value }) },
    async refresh() {
      await run(this, async () => {
        const [stores, alerts, visits] = await Promise.all([api.myStores(this.data.q || undefined), api.alerts(), api.visitToday()])
        this.setData({ stores: sortStores(stores, alerts, Date.now()), visitToday: visits })
      })
    },
    open(e) { wx.navigateTo({ url: '/pages/agent/store/index?id=' + e.currentTarget.dataset.id }) }
  }
})

module.exports = { sortStores }
