// The store user's page: who is signed in, what the store owes, and links to 对账, messages, reports; sign out.
const api = require('../../utils/api.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', me: null, balance: null, unread: 0 },
  methods: {
    onLoad() { watchNetwork(this) },
    onShow() { return this.refresh() },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      this.setData({ me: api.session() })
      await run(this, async () => {
        const [balance, notes] = await Promise.all([api.balance(), api.notifications()])
        this.setData({ balance, unread: notes.filter(n => !n.read).length })
      })
    },
    go(e) { wx.navigateTo({ url: e.currentTarget.dataset.url }) },
    logout() { api.logout(); wx.reLaunch({ url: '/pages/login/index?logout=1' }) }
  }
})
