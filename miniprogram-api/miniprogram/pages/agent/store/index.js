// One of the agent's stores: figures (revenue, orders, cadence, receivable, last contact), alerts, recent visits, and the
// agent's actions: 代订货, its orders, log a visit, show its binding QR, its statement; 补货提醒 (its due products, put in the
// agent's proxy cart for the store at their usual quantity) and 品类空白 (what similar stores buy and it does not).
const api = require('../../../utils/api.js')
const restock = require('../../../utils/restock.js')
const fmt = require('../../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', id: '', store: null, insight: null, visits: [], restock: [], crossSell: [], refused: [] },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      this.setData({ id: options.id })
    },
    onShow() { return this.refresh() },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      await run(this, async () => {
        const id = this.data.id
        const [store, insight, visits, due, gaps] = await Promise.all([api.store(id), api.insight(id), api.visits(id), api.restock(id), api.crossSell(id)])
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
          visits: (visits.items || []).slice(0, 5).map(v => Object.assign({}, v, { time: fmt.shortTime(v.at) })),
          restock: restock.view(due),
          crossSell: gaps.map(g => ({ key: g.kind + '-' + g.id, id: g.id, kind: g.kind, sku: g.sku, name: g.name,
            kindLabel: g.kind === 'Product' ? '单品' : '整个品类', categoryName: g.categoryName,
            peers: g.peersBuying + '/' + g.peers + ' 家相似门店在买', profit: fmt.yuan(g.expectedGrossProfitFen) }))
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
        statement: '/pages/statement/index' + api.qs({ customerId: d.id, name }),
        templates: '/pages/templates/index' + api.qs({ customerId: d.id, storeName: name })
      }
      wx.navigateTo({ url: urls[e.currentTarget.dataset.to] })
    },
    // The due products at their usual quantity into the agent's proxy cart for this store, then that cart.
    async addRestock() {
      const r = await run(this, () => restock.addAll(this.data.id, this.data.restock))
      if (r) this.afterAdd(r)
    },
    // A 品类空白 product: its minimum order quantity for this store (the server's catalog answer) into the proxy cart.
    async addGap(e) {
      const sku = e.currentTarget.dataset.sku
      const r = await run(this, async () => {
        const p = await api.product(sku, this.data.id)
        return restock.addAll(this.data.id, [{ sku, name: p.name, quantity: p.minOrderQty || 1 }])
      })
      if (r) this.afterAdd(r)
    },
    afterAdd(r) {
      this.setData({ refused: r.refused.map(x => x.message) })
      if (r.refused.length) return wx.showToast({ title: r.refused[0].message, icon: 'none', duration: 3000 })
      wx.showToast({ title: '已加入代订购物车', icon: 'success' })
      this.nav({ currentTarget: { dataset: { to: 'cart' } } })
    },
    // A whole category nobody at this store buys yet: the proxy catalog of that category.
    openGapCategory(e) {
      const d = this.data
      wx.navigateTo({ url: '/pages/products/index' + api.qs({ customerId: d.id, storeName: d.store ? d.store.name : '', categoryId: e.currentTarget.dataset.id, title: e.currentTarget.dataset.name }) })
    },
    call() { if (this.data.store && this.data.store.phone) wx.makePhoneCall({ phoneNumber: this.data.store.phone }) }
  }
})
