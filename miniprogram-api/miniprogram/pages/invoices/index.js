// 发票抬头 (我的 → 发票抬头): the store's invoice titles — 普票 (title, tax number if a company) or 专票 (also bank, account,
// registered address and phone). An agent opens it for an assigned store (?customerId=). Orders keep a copy of the title
// they were placed with, so editing or removing one here never changes an order.
const api = require('../../utils/api.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

const EMPTY = { kind: 'normal', title: '', taxNo: '', bankName: '', bankAccount: '', address: '', phone: '', isDefault: false }

Component({
  data: { loading: false, error: '', net: '', customerId: '', titles: [], editing: null, form: EMPTY, saving: false },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      this.setData({ customerId: (options && options.customerId) || '' })
      return this.refresh()
    },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      await run(this, async () => this.setData({ titles: await api.invoiceTitles(this.data.customerId) }))
    },
    add() {
      this.key = api.newIdempotencyKey()
      this.setData({ editing: 'new', form: Object.assign({}, EMPTY, { isDefault: this.data.titles.length === 0 }), error: '' })
    },
    edit(e) {
      const t = this.data.titles.find(x => String(x.id) === String(e.currentTarget.dataset.id))
      if (!t) return
      this.setData({ editing: t.id, form: { kind: t.kind, title: t.title, taxNo: t.taxNo || '', bankName: t.bankName || '', bankAccount: t.bankAccount || '', address: t.address || '', phone: t.phone || '', isDefault: t.isDefault }, error: '' })
    },
    cancel() { this.setData({ editing: null }) },
    kind(e) { this.setData({ 'form.kind': e.currentTarget.dataset.kind }) },
    field(e) { this.setData({ ['form.' + e.currentTarget.dataset.field]: e.detail.value }) },
    toggleDefault(e) { this.setData({ 'form.isDefault': !!e.detail.value }) },
    async save() {
      if (this.data.saving) return
      const f = this.data.form
      if (!f.title.trim()) return wx.showToast({ title: '请填写发票抬头', icon: 'none' })
      this.setData({ saving: true })
      const id = this.data.editing === 'new' ? null : this.data.editing
      const saved = await run(this, () => api.saveInvoiceTitle(this.data.customerId, id, f, this.key))
      this.setData({ saving: false })
      if (!saved) return
      wx.showToast({ title: '已保存', icon: 'success' })
      this.setData({ editing: null })
      await this.refresh()
    },
    async remove(e) {
      const id = e.currentTarget.dataset.id
      const ok = await new Promise(resolve => wx.showModal({ title: '删除发票抬头', content: '已下的订单仍保留原抬头。确定删除？', success: r => resolve(r.confirm), fail: () => resolve(false) }))
      if (!ok) return
      await run(this, () => api.removeInvoiceTitle(this.data.customerId, id))
      await this.refresh()
    }
  }
})
