// One product as this store sees it: image, spec, unit, pack size, price with its reason, quantity tiers, stock,
// promotions, last price paid; what the distributor's staff wrote about it (description, selling points, tags, 新品 /
// 热销 flags; the ERP does not own these); a stepper in pack-size steps from the MOQ. Opened from a shared card (share=<code>),
// the add-to-cart carries the share code so the order is attributed to the agent. Agents share it (onShareAppMessage).
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

Component({
  // unit: the unit chosen on the page (瓶 / 箱); u: that unit's price, pack size and MOQ as the server gives them
  data: { loading: false, error: '', net: '', sku: '', customerId: '', share: '', p: null, qty: 0, isAgent: false, favourite: false, unit: '', u: null },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      const o = options || {}
      const s = api.session()
      if (!s) return wx.reLaunch({ url: '/pages/login/index' + api.qs({ sku: o.sku, share: o.share }) })
      this.setData({ sku: o.sku, customerId: o.customerId || '', share: o.share || '', isAgent: s.role === 'agent' })
      return this.refresh()
    },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      const p = await run(this, () => api.product(this.data.sku, this.data.customerId))
      if (!p) return
      const item = Object.assign(fmt.item(p), {
        description: p.description || '', sellingPoints: p.sellingPoints || [], tags: p.tags || [], isNew: !!p.isNew, isHot: !!p.isHot
      })
      const units = (p.units || []).map(u => Object.assign({}, u, {
        priceText: u.price ? u.price.text : '', start: Math.max(u.minOrderQty, u.packSize),
        label: u.isBase ? u.name : u.name + '（' + u.factor + (p.unit || '') + '）'
      }))
      item.units = units
      const chosen = units.find(u => u.name === this.data.unit) || units[0] || null
      this.setData({ p: item, u: chosen, unit: chosen ? chosen.name : p.unit, qty: this.data.qty || (chosen ? chosen.start : Math.max(item.minOrderQty, item.packSize)) })
      wx.setNavigationBarTitle({ title: item.name })
      this.loadFavourite()
      // The share card must be ready when the share sheet asks for it: an agent's share code is made on load.
      if (this.data.isAgent) this.sharing = this.prepareShare()
    },
    change(e) { this.setData({ qty: Number(e.detail) }) },
    // 单位: choosing 箱 shows the case price and counts the stepper in cases from that unit's smallest valid quantity.
    pickUnit(e) {
      const u = this.data.p.units.find(x => x.name === e.currentTarget.dataset.unit)
      if (u) this.setData({ unit: u.name, u, qty: u.start })
    },
    // 收藏: the heart shows whether this store has the product among its favourites (GET /api/catalog/favourites) and toggles it.
    async loadFavourite() {
      const list = await run(this, () => api.get('/api/catalog/favourites', { customerId: this.data.customerId }), { quiet: true })
      if (list) this.setData({ favourite: list.some(f => f.sku === this.data.sku) })
    },
    async toggleFavourite() {
      const on = !this.data.favourite
      const path = '/api/catalog/favourites/' + encodeURIComponent(this.data.sku) + api.qs({ customerId: this.data.customerId })
      const done = await run(this, () => (on ? api.put(path) : api.del(path)).then(() => true))
      if (!done) return
      this.setData({ favourite: on })
      wx.showToast({ title: on ? '已收藏' : '已取消收藏', icon: 'none' })
    },
    async add() {
      const { p, qty, unit } = this.data
      const cart = await run(this, () => api.addToCart(this.data.customerId, p.sku, qty, this.data.share || undefined, unit || undefined))
      if (cart) wx.showToast({ title: '已加入 ' + qty + (unit || p.unit), icon: 'success' })
    },
    goCart() { wx.navigateTo({ url: '/pages/cart/index' + api.qs({ customerId: this.data.customerId }) }) },
    preview() { if (this.data.p && this.data.p.image) wx.previewImage({ urls: this.data.p.imageUrls.map(u => (/^https?:/.test(u) ? u : api.config.baseUrl + u)) }) },
    // An agent's share card carries a share code (POST /api/agent/share-links) so orders from it count for the agent.
    async prepareShare() {
      if (!this.data.isAgent || !this.data.p) return null
      const link = await run(this, () => api.shareLink({ sku: this.data.p.sku }), { quiet: true })
      if (link) this.setData({ sharePath: '/' + link.path })
      return link
    },
    onShareAppMessage() {
      const p = this.data.p || {}
      const title = (p.name || '商品') + ' ' + (p.priceText || '')
      const path = this.data.sharePath || '/pages/product/index?sku=' + encodeURIComponent(this.data.sku)
      if (this.data.sharePath || !this.sharing) return { title, path }
      // still being made: WeChat waits for the promise (up to 3 s) and falls back to the plain path
      return { title, path, promise: this.sharing.then(link => ({ title, path: link ? '/' + link.path : path })) }
    }
  }
})
