// 常用单卡片 (issue #20): the card an agent sends from the chat toolbar opens the store's usual order — what it buys most
// (GET /api/orders/frequent) with the quantities it took last time. One tap puts them all in the cart with the card's share
// code, so the order placed from it is attributed to the agent and counted as chat-won; the open is reported once.
// Opened as pages/products/index?view=frequent&share=<code> (the card's page), which redirects here.
const api = require('../../utils/api.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', share: '', items: [], notice: '', filled: false },
  methods: {
    async onLoad(options) {
      watchNetwork(this)
      const o = options || {}
      if (!api.session()) return wx.reLaunch({ url: '/pages/login/index' })
      this.setData({ share: o.share || '' })
      if (o.share) await run(this, () => api.chatCardOpened(o.share), { quiet: true })
      const list = await run(this, () => api.frequent())
      if (list) this.setData({ items: list.map(f => ({ sku: f.item.sku, name: f.item.name, unit: f.item.unit, quantity: f.lastQuantity, priceText: f.item.price ? f.item.price.text : '' })) })
    },
    onUnload() { unwatchNetwork(this) },
    async fill() {
      let added = 0
      for (const i of this.data.items) {
        const cart = await run(this, () => api.addToCart('', i.sku, i.quantity, this.data.share || undefined))
        if (cart) added++
      }
      this.setData({ notice: '已加入购物车 ' + added + ' 种商品', filled: added > 0 })
    },
    toCart() { wx.navigateTo({ url: '/pages/cart/index' }) }
  }
})
