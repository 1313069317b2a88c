// One of the agent's stores: figures (revenue, orders, cadence, receivable, last contact), alerts, recent visits, and the
// agent's actions: 代订货, its orders, log a visit, show its binding QR, its statement.
const api = require('../../../utils/api.js')
const fmt = require('../../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', id: '', store: null, insight: null, visits: [] },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      this.setData({ id: options.id })
    },
    onShow() { return this.refresh() },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      await run(this, async () => {
        const [store, insight, visits] = await Promise.all([api.store(this.data.id), api.insight(this.data.id), api.visits(this.data.id)])
        wx.setNavigationBarTitle({ title: store.name })
        this.setData({
          store,
          insight: Object.assign({}, insight, {
            lastOrder: insight.lastOrderAt ? fmt.date(insight.lastOrderAt) + ' ' + (insight.lastOrderText || '') : '还没有下过单',
            contact: insight.daysSinceLastContact == null ? '还没有拜访记录' : insight.daysSinceLastContact === 0 ? '今天' : insight.daysSinceLastContact + ' 天前',
            interval: insight.averageIntervalDays == null ? '—' : Math.round(insight.averageIntervalDays) + ' 天',
            selfShare: insight.selfOrderShare == null ? '—' : Math.round(insight.selfOrderShare * 100) + '%',
            alerts: ((insight.cadence && insight.cadence.alerts) || []).map(a => a.reasonZh)
          }),
          visits: (visits.items || []).slice(0, 5).map(v => Object.assign({}, v, { time: fmt.shortTime(v.at) }))
        })
      })
    },
    nav(e) {
      const d = this.data
      const name = d.store ? d.store.name : ''
      const urls = {
        proxy: '/pages/products/index' + api.qs({ customerId: d.id, storeName: name }),
        cart: '/pages/cart/index' + api.qs({ customerId: d.id, storeName: name }),
        orders: '/pages/orders/index' + api.qs({ mode: 'agent', customerId: d.id }),
        visit: '/pages/agent/visit/index' + api.qs({ id: d.id, name }),
        binding: '/pages/agent/binding/index' + api.qs({ id: d.id, name }),
        statement: '/pages/statement/index' + api.qs({ customerId: d.id, name })
      }
      wx.navigateTo({ url: urls[e.currentTarget.dataset.to] })
    },
    call() { if (this.data.store && this.data.store.phone) wx.makePhoneCall({ phoneNumber: this.data.store.phone }) }
  }
})
