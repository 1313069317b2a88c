// 常用单 (order templates): save the cart under a name, put a template back into the cart at today's prices (dropped items
// and price changes are shown), delete it, or schedule it (定期订货: every week on chosen days or every N days; a draft to
// confirm in the cart, or submitted automatically), or order from it at once (the default address; the cart is left alone).
// A chain's head office passes branchId to work on one branch; an agent passes customerId (from its store page) to keep an
// assigned store's templates with its proxy cart and to place a proxy order (代下单) from one.
const api = require('../../utils/api.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

const DAYS = ['一', '二', '三', '四', '五', '六', '日']

Component({
  data: {
    loading: false, error: '', net: '', branchId: '', customerId: '', storeName: '', templates: [], name: '', notice: '', report: null,
    scheduling: 0, days: DAYS.map((d, i) => ({ day: i + 1, text: '周' + d, on: false })), autoSubmit: false
  },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      const o = options || {}
      this.setData({ branchId: o.branchId || '', customerId: o.customerId || '', storeName: o.storeName || '' })
      return this.refresh()
    },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      await run(this, async () => {
        const templates = await api.orderTemplates(this.data.branchId, this.data.customerId)
        this.setData({ templates })
      })
    },
    name(e) { this.setData({ name: e.detail.value }) },
    async save() {
      const name = (this.data.name || '').trim()
      if (!name) return wx.showToast({ title: '请填写常用单名称', icon: 'none' })
      const saved = await run(this, () => api.saveTemplate(name, this.data.branchId, this.data.customerId))
      if (!saved) return
      this.setData({ name: '', notice: '已保存常用单「' + saved.name + '」' })
      return this.refresh()
    },
    async apply(e) {
      const id = Number(e.currentTarget.dataset.id)
      const r = await run(this, () => api.applyTemplate(id, this.data.branchId, this.data.customerId))
      if (!r) return
      const changed = r.added.concat(r.quantityAdjusted).filter(i => i.priceChanged)
      this.setData({
        notice: '已加入购物车 ' + (r.added.length + r.quantityAdjusted.length) + ' 种商品',
        report: { dropped: r.dropped, changed: changed.map(i => ({ sku: i.sku, name: i.name, text: (i.oldUnitPriceFen / 100).toFixed(2) + ' → ' + (i.newUnitPriceFen / 100).toFixed(2) })) }
      })
    },
    // An order straight from the template to the store's default address (a proxy order when an agent places it).
    async order(e) {
      const id = Number(e.currentTarget.dataset.id)
      const d = this.data
      const placed = await run(this, async () => {
        const addresses = d.branchId ? await api.branchAddresses(d.branchId) : await api.addresses(d.customerId)
        const address = addresses.find(a => a.isDefault) || addresses[0]
        if (!address) throw new Error('门店还没有收货地址')
        return api.orderFromTemplate(id, { addressId: address.id }, d.branchId, d.customerId)
      })
      if (!placed) return
      this.setData({ notice: (d.customerId ? '已代下单 ' : '已下单 ') + placed.summary.orderNo + '，金额 ' + placed.summary.totalText })
    },
    async remove(e) {
      const id = Number(e.currentTarget.dataset.id)
      await run(this, () => api.deleteTemplate(id, this.data.branchId, this.data.customerId))
      return this.refresh()
    },
    openSchedule(e) { this.setData({ scheduling: Number(e.currentTarget.dataset.id), days: this.data.days.map(d => ({ ...d, on: false })), autoSubmit: false }) },
    toggleDay(e) {
      const day = Number(e.currentTarget.dataset.day)
      this.setData({ days: this.data.days.map(d => d.day === day ? { ...d, on: !d.on } : d) })
    },
    toggleAuto() { this.setData({ autoSubmit: !this.data.autoSubmit }) },
    async schedule() {
      const weekdays = this.data.days.filter(d => d.on).map(d => d.day)
      if (!weekdays.length) return wx.showToast({ title: '请选择每周几', icon: 'none' })
      const s = await run(this, () => api.scheduleTemplate(this.data.scheduling, { weekdays, mode: this.data.autoSubmit ? 'submit' : 'draft' }, this.data.branchId))
      if (!s) return
      this.setData({ scheduling: 0, notice: '已设置定期订货：' + s.text + (s.mode === 'submit' ? '，自动提交' : '，到时放入购物车待确认') })
      return this.refresh()
    },
    async stop(e) {
      await run(this, () => api.stopSchedule(Number(e.currentTarget.dataset.id), Number(e.currentTarget.dataset.schedule), this.data.branchId))
      return this.refresh()
    }
  }
})
