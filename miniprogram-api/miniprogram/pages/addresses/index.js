// 收货地址 (我的 → 收货地址): the store's delivery addresses — add, edit, remove, choose the default. An agent opens it for an
// assigned store (?customerId=). Orders keep a copy of the address they were placed with.
const api = require('../../utils/api.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

const EMPTY = { label: '', contactName: '', phone: '', address: '', isDefault: false }

Component({
  data: { loading: false, error: '', net: '', customerId: '', addresses: [], editing: null, form: EMPTY, saving: false },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      this.setData({ customerId: (options && options.customerId) || '' })
      return this.refresh()
    },
    onUnload() { unwatchNetwork(this) },
    async refresh() {
      await run(this, async () => this.setData({ addresses: await api.addresses(this.data.customerId) }))
    },
    add() {
      this.key = api.newIdempotencyKey()
      this.setData({ editing: 'new', form: Object.assign({}, EMPTY, { isDefault: this.data.addresses.length === 0 }), error: '' })
    },
    edit(e) {
      const a = this.data.addresses.find(x => String(x.id) === String(e.currentTarget.dataset.id))
      if (!a) return
      this.setData({ editing: a.id, form: { label: a.label || '', contactName: a.contactName, phone: a.phone, address: a.address, isDefault: a.isDefault }, error: '' })
    },
    cancel() { this.setData({ editing: null }) },
    field(e) { this.setData({ ['form.' + e.currentTarget.dataset.field]: e.detail.value }) },
    toggleDefault(e) { this.setData({ 'form.isDefault': !!e.detail.value }) },
    async makeDefault(e) {
      const a = this.data.addresses.find(x => String(x.id) === String(e.currentTarget.dataset.id))
      if (!a) return
      await run(this, () => api.saveAddress(this.data.customerId, a.id, { label: a.label, contactName: a.contactName, phone: a.phone, address: a.address, isDefault: true }))
      await this.refresh()
    },
    async save() {
      if (this.data.saving) return
      const f = this.data.form
      if (!f.contactName.trim() || !f.phone.trim() || !f.address.trim()) return wx.showToast({ title: '请填写收货人、电话和地址', icon: 'none' })
      this.setData({ saving: true })
      const id = this.data.editing === 'new' ? null : this.data.editing
      const saved = await run(this, () => api.saveAddress(this.data.customerId, id, f, this.key))
      this.setData({ saving: false })
      if (!saved) return
      wx.showToast({ title: '已保存', icon: 'success' })
      this.setData({ editing: null })
      await this.refresh()
    },
    async remove(e) {
      const id = e.currentTarget.dataset.id
      const ok = await new Promise(resolve => wx.showModal({ title: '删除收货地址', content: '已下的订单仍保留原地址。确定删除？', success: r => resolve(r.confirm), fail: () => resolve(false) }))
      if (!ok) return
      await run(this, () => api.removeAddress(this.data.customerId, id))
      await this.refresh()
    }
  }
})
