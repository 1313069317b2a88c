// Messages for this user: proxy orders placed for the store, approvals, rejections with the reason, shipments, statements.
// Tapping one marks it read (and opens its order); 全部已读 clears the rest; 消息设置 turns WeChat pushes of a kind on or off
// (the messages stay here). A message WeChat did not get says why (cap reached, kind turned off, quiet hours).
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', items: [], unread: 0, showSettings: false, kinds: [] },
  methods: {
    onLoad() { watchNetwork(this) },
    onShow() { return this.refresh() },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      const items = await run(this, () => api.notifications())
      if (items) {
        this.setData({
          items: items.map(n => Object.assign({}, n, { time: fmt.shortTime(n.createdAt) })),
          unread: items.filter(n => !n.read).length
        })
      }
    },
    async open(e) {
      const { id, no } = e.currentTarget.dataset
      const item = this.data.items.find(n => String(n.id) === String(id))
      if (item && !item.read) {
        const ok = await run(this, () => api.readNotification(id))
        if (ok !== undefined) {
          const items = this.data.items.map(n => String(n.id) === String(id) ? Object.assign({}, n, { read: true }) : n)
          this.setData({ items, unread: items.filter(n => !n.read).length })
        }
      }
      if (no) wx.navigateTo({ url: '/pages/order/detail?no=' + no })
    },
    async readAll() {
      const upTo = this.data.items.length ? this.data.items[0].id : undefined
      const r = await run(this, () => api.readAllNotifications(upTo))
      if (r) this.setData({ items: this.data.items.map(n => Object.assign({}, n, { read: true })), unread: r.unread })
    },
    async toggleSettings() {
      if (this.data.showSettings) { this.setData({ showSettings: false }); return }
      const kinds = await run(this, () => api.notificationPreferences())
      if (kinds) this.setData({ kinds, showSettings: true })
    },
    async toggleKind(e) {
      const kind = e.currentTarget.dataset.kind
      const current = this.data.kinds.find(k => k.kind === kind)
      if (!current) return
      const kinds = await run(this, () => api.setNotificationPreferences({ [kind]: !current.pushed }))
      if (kinds) this.setData({ kinds })
    }
  }
})
