// Messages for this user: proxy orders placed for the store, approvals, rejections with the reason, shipments.
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', items: [] },
  methods: {
    onLoad() { watchNetwork(this) },
    onShow() { return this.refresh() },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      const items = await run(this, () => api.notifications())
      if (items) this.setData({ items: items.map(n => Object.assign({}, n, { time: fmt.shortTime(n.createdAt) })) })
    },
    open(e) { const no = e.currentTarget.dataset.no; if (no) wx.navigateTo({ url: '/pages/order/detail?no=' + no }) }
  }
})
