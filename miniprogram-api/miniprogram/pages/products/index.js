// Product list for one store: search (Chinese or pinyin initials), a category, keyset paging. THIS store's price and why,
// stock, promotions and the last price paid on each line. With customerId it is an agent's 代订货 for that store.
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', q: '', categoryId: '', customerId: '', storeName: '', title: '', items: [], after: null, end: false, cartCount: 0, cartTotal: '' },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      const o = options || {}
      this.setData({ q: o.q || '', categoryId: o.categoryId || '', customerId: o.customerId || '', storeName: o.storeName || '', title: o.title || '' })
      if (o.title) wx.setNavigationBarTitle({ title: o.title })
      return Promise.all([this.search(), this.loadCart()])
    },
    onUnload() { unwatchNetwork(this) },
    onReachBottom() { if (!this.data.end) return this.page() },
    input(e) { this.setData({ q: e.detail.value }) },
    search() { this.setData({ items: [], after: null, end: false }); return this.page() },
    async page() {
      const d = this.data
      const res = await run(this, () => api.products({ customerId: d.customerId, q: d.q, categoryId: d.categoryId, after: d.after, limit: 20 }))
      if (!res) return
      this.setData({ items: d.items.concat(res.items.map(fmt.item)), after: res.nextCursor || null, end: !res.nextCursor })
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
