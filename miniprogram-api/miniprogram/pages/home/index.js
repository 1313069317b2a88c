// Store home: search (Chinese or pinyin initials), 常购清单 and 再来一单 at the top, live promotions (GET /api/catalog/promotions:
// only those aimed at this store, with the server's Chinese badge and the products they cover), categories; and 补货提醒
// (GET /api/restock: products the store buys regularly that are due, with the server's reason and 一键加入购物车).
const api = require('../../utils/api.js')
const restock = require('../../utils/restock.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', storeName: '', q: '', restock: [], restockRefused: [], frequent: [], lastOrder: null, promotions: [], promoItems: [], categories: [] },
  methods: {
    onLoad() {
      watchNetwork(this)
      const s = api.session()
      if (!s) return wx.reLaunch({ url: '/pages/login/index' })
      this.setData({ storeName: s.customerName || '' })
      return this.refresh()
    },
    onUnload() { unwatchNetwork(this) },
    onPullDownRefresh() { return this.refresh().then(() => wx.stopPullDownRefresh()) },
    async refresh() {
      await run(this, async () => {
        const [frequent, orders, categories, promo, due] = await Promise.all([
          api.frequent().catch(() => []),                 // a store without orders yet has no 常购清单
          api.orders({ limit: 1 }),
          api.categories(),
          api.promotions(),
          api.restock()
        ])
        const promotions = promo.map(x => ({ id: x.id, kind: x.kindLabel, text: x.badge, name: x.name, ends: fmt.date(x.endsAt),
          scope: x.storeWide ? '全场' : x.productCount + ' 种商品' }))
        // The promoted products, each once, in the order of the promotions (soonest ending first).
        const seen = {}
        const promoItems = []
        promo.forEach(x => x.products.forEach(p => {
          if (seen[p.product.sku] || promoItems.length >= 6) return
          seen[p.product.sku] = true
          promoItems.push(fmt.item(p.product))
        }))
        this.setData({
          frequent: (frequent || []).slice(0, 8).map(f => Object.assign(fmt.item(f.item), { times: f.timesOrdered, lastQuantity: f.lastQuantity })),
          lastOrder: orders.items[0] || null,
          categories: categories.map(c => ({ id: c.id, name: c.name, count: c.productCount })),
          promotions, promoItems,
          restock: restock.view(due)
        })
      })
    },
    input(e) { this.setData({ q: e.detail.value }) },
    search() { wx.navigateTo({ url: '/pages/products/index' + api.qs({ q: this.data.q }) }) },
    openCategory(e) { wx.navigateTo({ url: '/pages/products/index' + api.qs({ categoryId: e.currentTarget.dataset.id, title: e.currentTarget.dataset.name }) }) },
    openProduct(e) { wx.navigateTo({ url: '/pages/product/index?sku=' + encodeURIComponent(e.currentTarget.dataset.sku) }) },
    async addFrequent(e) {
      const { sku, qty } = e.currentTarget.dataset
      const cart = await run(this, () => api.addToCart(null, sku, Number(qty)))
      if (cart) wx.showToast({ title: '已加入购物车', icon: 'success' })
    },
    // 一键加入购物车: each due product's usual quantity; if the server refuses one, its message stays on the card.
    async addRestock() {
      const lines = this.data.restock
      if (!lines.length) return
      const r = await run(this, () => restock.addAll(null, lines))
      if (!r) return
      this.setData({ restockRefused: r.refused.map(x => x.message) })
      if (r.refused.length) {
        wx.showToast({ title: r.refused[0].message, icon: 'none', duration: 3000 })
        return
      }
      wx.showToast({ title: '已加入购物车', icon: 'success' })
      wx.navigateTo({ url: '/pages/cart/index' })
    },
    async reorder() {
      if (!this.data.lastOrder) return
      const r = await run(this, () => api.reorder(this.data.lastOrder.orderNo))
      if (!r) return
      const notes = []
      if (r.dropped && r.dropped.length) notes.push(r.dropped.length + ' 件商品已下架或不可订')
      if (r.quantityAdjusted && r.quantityAdjusted.length) notes.push(r.quantityAdjusted.length + ' 件商品数量已按箱规调整')
      wx.showToast({ title: notes.length ? notes.join('，') : '已加入购物车', icon: 'none' })
      wx.navigateTo({ url: '/pages/cart/index' })
    }
  }
})
