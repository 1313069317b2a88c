// 经销商社区: what the distributor's office published for its stores — announcements, marketing materials, new-product
// sheets — pinned first, newest next; a post this store has not opened yet is marked 未读.
const api = require('../../utils/api.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', items: [] },
  methods: {
    onLoad() { watchNetwork(this) },
    onShow() { return this.refresh() },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      const r = await run(this, () => api.communityPosts())
      if (r) this.setData({ items: r.items.map(p => Object.assign({}, p, { day: (p.publishedAt || '').slice(0, 10) })) })
    },
    open(e) {
      const id = e.currentTarget.dataset.id
      // opened: no longer 未读 here either
      this.setData({ items: this.data.items.map(p => String(p.id) === String(id) ? Object.assign({}, p, { readByMe: true }) : p) })
      wx.navigateTo({ url: '/pages/community/detail?id=' + id })
    }
  }
})
