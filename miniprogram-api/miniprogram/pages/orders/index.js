// Orders with tabs by status. A store sees its own orders (self-placed and proxy); an agent (mode=agent) sees its
// stores' orders, or one store's (customerId).
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

const CHANNEL = { self: '自助下单', proxy: '业务员代订', share: '分享下单' }

Component({
  data: { loading: false, error: '', net: '', mode: '', customerId: '', tabs: fmt.STATUS_TABS, status: '', items: [], before: null, end: false },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      const o = options || {}
      const s = api.session()
      this.setData({ mode: o.mode || (s && s.role === 'agent' ? 'agent' : ''), customerId: o.customerId || '', status: o.status || '' })
    },
    onShow() { return this.reload() },
    onUnload() { unwatchNetwork(this) },
    onPullDownRefresh() { return this.reload().then(() => wx.stopPullDownRefresh()) },
    onReachBottom() { if (!this.data.end) return this.page() },
    tab(e) { this.setData({ status: e.currentTarget.dataset.key }); return this.reload() },
    reload() { this.setData({ items: [], before: null, end: false }); return this.page() },
    async page() {
      const d = this.data
      const res = await run(this, () => api.orders({ status: d.status || undefined, before: d.before || undefined, limit: 20, customerId: d.customerId || undefined }, d.mode))
      if (!res) return
      const items = res.items.map(o => Object.assign({}, o, { time: fmt.shortTime(o.createdAt), channelText: CHANNEL[o.channel] || '' }))
      this.setData({ items: d.items.concat(items), before: res.nextBefore || null, end: !res.nextBefore })
    },
    open(e) { wx.navigateTo({ url: '/pages/order/detail' + api.qs({ no: e.currentTarget.dataset.no, mode: this.data.mode }) }) }
  }
})
