// Checkout: delivery address, an invoice title (发票抬头, optional) and a note, the cart's total, submit. The submit carries one Idempotency-Key kept for this
// checkout, so a retry after a lost answer returns the same order, never a second one. A store's first submit asks for
// subscribe-message consent (wx.requestSubscribeMessage must run inside the tap).
const api = require('../../utils/api.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

const ASKED = 'orderhub.subscribeAsked'

Component({
  data: { loading: false, error: '', net: '', customerId: '', storeName: '', addresses: [], addressIndex: 0, invoiceTitles: [], invoiceIndex: -1, note: '', totalText: '', lineCount: 0, submitting: false, templates: [], payMode: 'credit', payFirst: false, branches: [], branchId: '' },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      this.key = api.newIdempotencyKey()
      this.setData({ customerId: (options && options.customerId) || '', storeName: (options && options.storeName) || '' })
      return this.refresh()
    },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      const cid = this.data.customerId
      await run(this, async () => {
        // how the store pays (Payments:Mode): prepay → the order waits for payment (待付款); either → the store chooses here
        const account = cid ? null : await api.storeAccount().catch(() => null)
        if (account) this.setData({ payMode: account.paymentMode, payFirst: account.paymentMode === 'prepay' })
        const bid = this.data.branchId
        const [addresses, cart, templates, invoiceTitles, branches] = await Promise.all([
          bid ? api.branchAddresses(bid) : api.addresses(cid),
          bid ? api.branchCart(bid) : api.cart(cid),
          cid || wx.getStorageSync(ASKED) ? Promise.resolve([]) : api.templates().catch(() => []),
          api.invoiceTitles(cid).catch(() => []),
          // A chain's head office (连锁总部) may order for any of its branches: the branch picker.
          cid ? Promise.resolve([]) : api.chainBranches().catch(() => [])
        ])
        // The default address and no invoice unless the store has a default title; the store changes either by a tap.
        const addressIndex = Math.max(0, addresses.findIndex(a => a.isDefault))
        const invoiceIndex = invoiceTitles.findIndex(t => t.isDefault)
        this.setData({ addresses, addressIndex, invoiceTitles, invoiceIndex, totalText: cart.totalText, lineCount: cart.lines.length, templates: (templates || []).filter(t => t.templateId), branches })
      })
    },
    // Ordering for a branch: the cart moves to the branch's cart (priced for the branch), its addresses are offered, and
    // the order is the branch's. Picking the head office again moves it back.
    async pickBranch(e) {
      const to = String(e.currentTarget.dataset.id || '')
      const from = this.data.branchId
      if (to === from) return
      await run(this, async () => {
        const cart = from ? await api.branchCart(from) : await api.cart('')
        for (const l of cart.lines.filter(x => !x.isGift)) {
          if (to) await api.addToBranchCart(to, l.sku, l.quantity); else await api.addToCart('', l.sku, l.quantity)
          await api.del('/api/cart/items/' + encodeURIComponent(l.sku) + api.qs({ branchId: from }))
        }
      })
      this.setData({ branchId: to })
      this.key = api.newIdempotencyKey()
      return this.refresh()
    },
    pick(e) { this.setData({ addressIndex: Number(e.currentTarget.dataset.index) }) },
    pickInvoice(e) { this.setData({ invoiceIndex: Number(e.currentTarget.dataset.index) }) },
    manage(e) { wx.navigateTo({ url: e.currentTarget.dataset.url + api.qs({ customerId: this.data.customerId }) }) },
    onShow() { if (this.refreshed) return this.refresh(); this.refreshed = true },
    note(e) { this.setData({ note: e.detail.value }) },
    choosePayFirst(e) { this.setData({ payFirst: e.currentTarget.dataset.first === 'yes' }) },
    askSubscribe() {
      const wanted = api.config.subscribeKeys
      const templates = this.data.templates.filter(t => wanted.indexOf(t.key) >= 0)
      if (!templates.length) return Promise.resolve()
      wx.setStorageSync(ASKED, true)
      return new Promise(resolve => {
        wx.requestSubscribeMessage({
          tmplIds: templates.map(t => t.templateId),
          success: res => {
            const accepted = templates.filter(t => res[t.templateId] === 'accept').map(t => t.key)
            api.saveSubscriptions(templates.map(t => t.key), accepted).catch(() => {}).then(resolve)
          },
          fail: () => resolve()
        })
      })
    },
    async submit() {
      if (this.data.submitting) return
      const address = this.data.addresses[this.data.addressIndex]
      if (!address) return wx.showToast({ title: '请选择收货地址', icon: 'none' })
      this.setData({ submitting: true })
      await this.askSubscribe()
      const invoice = this.data.invoiceTitles[this.data.invoiceIndex]
      const payFirst = this.data.payMode === 'either' ? this.data.payFirst : null
      const body = { addressId: address.id, note: this.data.note || null, invoiceTitleId: invoice ? invoice.id : null, payFirst }
      const order = await run(this, () => this.data.branchId
        ? api.submitBranchOrder(this.data.branchId, { addressId: address.id, note: this.data.note || null, payFirst }, this.key)
        : api.submitOrder(this.data.customerId, body, this.key))
      this.setData({ submitting: false })
      if (!order) return
      wx.showToast({ title: order.summary.status === 'pending_payment' ? '下单成功，请付款' : '下单成功', icon: 'success' })
      wx.redirectTo({ url: '/pages/order/detail' + api.qs({ no: order.summary.orderNo, mode: this.data.customerId ? 'agent' : '' }) })
    }
  }
})
