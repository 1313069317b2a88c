// The cart priced now by the server: steppers in pack-size steps from the MOQ, 买赠 gift lines, the best 满减, short
// items flagged, the total. With customerId it is an agent's proxy cart for that store.
const api = require('../../utils/api.js')
const fmt = require('../../utils/format.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

function view(cart) {
  const short = {}
  ;(cart.shortages || []).forEach(s => { short[s.sku] = s })
  return {
    lines: cart.lines.map(l => Object.assign({}, l, {
      // shortages count base units (瓶) whatever unit the line is in
      short: short[l.sku] ? '库存不足：仅剩 ' + short[l.sku].available + (l.baseUnit || l.unit) + '，请减少数量' : '',
      // a unit picker where the product has more than one unit (瓶 / 箱)
      unitNames: (l.units || []).length > 1 ? l.units.map(u => u.name) : [],
      unitIndex: Math.max(0, (l.units || []).findIndex(u => u.name === l.unit)),
      baseText: l.unitFactor > 1 ? '= ' + l.baseQuantity + l.baseUnit : '',
      priceText: l.price ? l.price.text : '',
      priceReason: l.price ? l.price.reason : ''
    })),
    unavailable: cart.unavailable || [],
    goodsText: fmt.yuan(cart.goodsFen),
    discountText: cart.discountFen ? '-' + fmt.yuan(cart.discountFen) : '',
    discountName: cart.discountName || '',
    totalText: cart.totalText,
    hasShort: (cart.shortages || []).length > 0,
    canSubmit: cart.canSubmit,
    empty: cart.lines.length === 0
  }
}

Component({
  data: { loading: false, error: '', net: '', customerId: '', storeName: '', lines: [], unavailable: [], empty: true, totalText: '', goodsText: '', discountText: '', discountName: '', hasShort: false, canSubmit: false },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      this.setData({ customerId: (options && options.customerId) || '', storeName: (options && options.storeName) || '' })
    },
    onShow() { return this.refresh() },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      const cart = await run(this, () => api.cart(this.data.customerId))
      if (cart) this.setData(view(cart))
    },
    async change(e) {
      const sku = e.currentTarget.dataset.sku
      const qty = Number(e.detail)
      const line = this.data.lines.find(l => l.sku === sku && !l.isGift)
      const unit = line ? line.unit : undefined
      const cart = await run(this, () => (qty > 0 ? api.setQuantity(this.data.customerId, sku, qty, unit) : api.removeFromCart(this.data.customerId, sku)))
      // On a refused quantity the server's message is shown and the cart re-read, so the stepper shows what is saved.
      if (cart) this.setData(view(cart)); else await this.refresh()
    },
    // Another unit for a line: the same goods counted anew, rounded up to that unit's smallest valid quantity
    // (2 箱 → 48 瓶; 30 瓶 → 2 箱 when 箱 = 24) — the server checks pack size and MOQ in the unit chosen.
    async changeUnit(e) {
      const sku = e.currentTarget.dataset.sku
      const line = this.data.lines.find(l => l.sku === sku && !l.isGift)
      const unit = line && line.units[Number(e.detail.value)]
      if (!unit || unit.name === line.unit) return
      const qty = Math.max(1, Math.ceil(line.baseQuantity / unit.factor))
      const cart = await run(this, () => api.setQuantity(this.data.customerId, sku, qty, unit.name))
      if (cart) this.setData(view(cart)); else await this.refresh()
    },
    async remove(e) {
      const cart = await run(this, () => api.removeFromCart(this.data.customerId, e.currentTarget.dataset.sku))
      if (cart) this.setData(view(cart))
    },
    checkout() {
      if (!this.data.canSubmit || this.data.hasShort) return wx.showToast({ title: this.data.hasShort ? '有商品库存不足，请调整数量' : '购物车是空的', icon: 'none' })
      wx.navigateTo({ url: '/pages/checkout/index' + api.qs({ customerId: this.data.customerId, storeName: this.data.storeName }) })
    },
    shop() { wx.navigateTo({ url: '/pages/products/index' + api.qs({ customerId: this.data.customerId, storeName: this.data.storeName }) }) }
  }
})
