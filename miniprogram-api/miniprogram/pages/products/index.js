// Product list for one store: search (several words; Chinese, brand, pinyin or its initials; a scanned barcode), ranked
// by the server, with brand chips from the search's facets; a category; 默认 (SKU) or 推荐 order; paging by the server's
// cursor. THIS store's price and why, stock, promotions, 新品 / 热销 and the last price paid on each line. With customerId it is an agent's 代订货 for that store.
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', q: '', brand: '', sort: '', facets: null, categoryId: '', customerId: '', storeName: '', title: '', items: [], after: null, end: false, cartCount: 0, cartTotal: '' },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      const o = options || {}
      // the agent's 常用单 chat card (issue #20) opens pages/products/index?view=frequent&share=<code>
      if (o.view === 'frequent') return wx.redirectTo({ url: '/pages/usual-order/index' + api.qs({ share: o.share }) })
      this.setData({ q: o.q || '', categoryId: o.categoryId || '', customerId: o.customerId || '', storeName: o.storeName || '', title: o.title || '' })
      if (o.title) wx.setNavigationBarTitle({ title: o.title })
      return Promise.all([this.search(), this.loadCart()])
    },
    onUnload() { unwatchNetwork(this) },
    onReachBottom() { if (!this.data.end) return this.page() },
    input(e) { this.setData({ q: e.detail.value }) },
    // A new search starts without a brand; the brand chips come from its first page's facets.
    search() { this.setData({ brand: '', facets: null }); return this.reload() },
    reload() { this.setData({ items: [], after: null, end: false }); return this.page() },
    sortBy(e) { this.setData({ sort: e.currentTarget.dataset.sort }); return this.reload() },
    brandBy(e) { this.setData({ brand: e.currentTarget.dataset.brand }); return this.reload() },
    // wx.scanCode gives the barcode; the server matches a whole barcode exactly.
    scan() {
      wx.scanCode({
        scanType: ['barCode'],
        success: r => { this.setData({ q: r.result }); this.search() }
      })
    },
    async page() {
      const d = this.data
      const res = await run(this, () => api.products({
        customerId: d.customerId, q: d.q, brand: d.brand || undefined, sort: d.q ? undefined : (d.sort || undefined),
        categoryId: d.categoryId, after: d.after, limit: 20
      }))
      if (!res) return
      const items = res.items.map(p => Object.assign(fmt.item(p), { isNew: !!p.isNew, isHot: !!p.isHot }))
      const update = { items: d.items.concat(items), after: res.nextCursor || null, end: !res.nextCursor }
      if (res.facets && !d.brand) update.facets = res.facets
      this.setData(update)
    },
    async loadCart() {
      const cart = await run(this, () => api.cart(this.data.customerId), { quiet: true })
      if (cart) this.setData({ cartCount: cart.lines.filter(l => !l.isGift).length, cartTotal: cart.totalText })
    },
    open(e) {
      wx.navigateTo({ url: '/pages/product/index' + api.qs({ sku: e.currentTarget.dataset.sku, customerId: this.data.customerId }) })
    },
    // Adds the smallest quantity the store may order: the MOQ (a multiple of the pack size).
    async add(e) {
      const item = this.data.items.find(i => i.sku === e.currentTarget.dataset.sku)
      if (!item) return
      const qty = Math.max(item.minOrderQty, item.packSize)
      const cart = await run(this, () => api.addToCart(this.data.customerId, item.sku, qty))
      if (!cart) return
      this.setData({ cartCount: cart.lines.filter(l => !l.isGift).length, cartTotal: cart.totalText })
      wx.showToast({ title: '已加入 ' + qty + item.unit, icon: 'success' })
    },
    goCart() { wx.navigateTo({ url: '/pages/cart/index' + api.qs({ customerId: this.data.customerId, storeName: this.data.storeName }) }) }
  }
})
