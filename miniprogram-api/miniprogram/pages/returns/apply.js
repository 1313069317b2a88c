// 申请退货 for a shipped (or received) order: each line with what may still be returned (shipped less what is returned or
// in an open return, from GET …/returnable) and a stepper from 0 to that; a reason from the list plus free text; up to 3
// photos (wx.chooseMedia, then wx.uploadFile to …/returns/photos, each with its own Idempotency-Key); one submission whose
// Idempotency-Key is kept while the same request is retried, so a lost answer never files the return twice.
// mode=agent: an agent filing for one of its stores (the /api/agent routes).
const api = require('../../utils/api.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

const MAX_PHOTOS = 3
const MAX_REASON = 200
const REASONS = ['商品破损', '临期 / 过期', '发错货', '质量问题', '滞销退货', '其他']

Component({
  data: { loading: false, error: '', net: '', no: '', mode: '', lines: [], reasons: REASONS, reasonIndex: -1, note: '',
    photos: [], uploading: 0, maxPhotos: MAX_PHOTOS, saving: false, total: 0 },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      const o = options || {}
      const s = api.session()
      this.setData({ no: o.no, mode: o.mode || (s && s.role === 'agent' ? 'agent' : '') })
      return this.load()
    },
    onUnload() { unwatchNetwork(this) },
    async load() {
      const r = await run(this, () => api.returnable(this.data.no, this.data.mode))
      if (!r) return
      const before = {}
      this.data.lines.forEach(l => { before[l.orderLineId] = l.quantity })
      const lines = r.lines.map(l => Object.assign({}, l, { quantity: Math.min(before[l.orderLineId] || 0, l.returnableQuantity) }))
      this.setData({ lines })
      this.count()
    },
    count() { this.setData({ total: this.data.lines.reduce((n, l) => n + l.quantity, 0) }) },
    setLine(id, quantity) {
      const lines = this.data.lines.map(l => l.orderLineId === id
        ? Object.assign({}, l, { quantity: Math.max(0, Math.min(l.returnableQuantity, quantity)) }) : l)
      this.setData({ lines })
      this.count()
    },
    line(e) { return this.data.lines.find(l => l.orderLineId === Number(e.currentTarget.dataset.id)) },
    plus(e) { const l = this.line(e); if (l) this.setLine(l.orderLineId, l.quantity + 1) },
    minus(e) { const l = this.line(e); if (l) this.setLine(l.orderLineId, l.quantity - 1) },
    typed(e) { const l = this.line(e); if (l) this.setLine(l.orderLineId, parseInt(e.detail.value, 10) || 0) },
    pickReason(e) { this.setData({ reasonIndex: Number(e.detail.value) }) },
    note(e) { this.setData({ note: e.detail.value }) },
    addPhotos() {
      const left = MAX_PHOTOS - this.data.photos.length - this.data.uploading
      if (left <= 0) return undefined
      return new Promise(resolve => {
        wx.chooseMedia({
          count: left, mediaType: ['image'], sourceType: ['camera', 'album'], sizeType: ['compressed'],
          success: res => resolve(Promise.all(res.tempFiles.slice(0, left).map(f => this.upload(f.tempFilePath)))),
          fail: () => resolve()
        })
      })
    },
    async upload(filePath) {
      this.setData({ uploading: this.data.uploading + 1, error: '' })
      try {
        const photo = await api.uploadReturnPhoto(filePath, null, this.data.mode)
        this.setData({ photos: this.data.photos.concat([{ id: photo.id, url: photo.url, thumbnailUrl: photo.thumbnailUrl }]) })
      } catch (err) {
        this.setData({ error: err.message || '照片上传失败' })
      } finally {
        this.setData({ uploading: this.data.uploading - 1 })
      }
    },
    removePhoto(e) {
      const id = Number(e.currentTarget.dataset.id)
      this.setData({ photos: this.data.photos.filter(p => p.id !== id) })
    },
    preview(e) { wx.previewImage({ current: e.currentTarget.dataset.url, urls: this.data.photos.map(p => p.url) }) },
    reasonText() {
      const picked = this.data.reasonIndex >= 0 ? REASONS[this.data.reasonIndex] : ''
      const note = (this.data.note || '').trim()
      return (picked && note ? picked + '：' + note : picked || note).slice(0, MAX_REASON)
    },
    async submit() {
      if (this.data.saving || this.data.uploading) return
      const lines = this.data.lines.filter(l => l.quantity > 0).map(l => ({ orderLineId: l.orderLineId, quantity: l.quantity }))
      if (!lines.length) return wx.showToast({ title: '请选择要退的商品和数量', icon: 'none' })
      const reason = this.reasonText()
      if (!reason) return wx.showToast({ title: '请选择或填写退货原因', icon: 'none' })
      const body = { orderNo: this.data.no, lines, reason, photoIds: this.data.photos.map(p => p.id) }
      // The same request keeps its key (a retry after a lost answer is answered with the first result); a changed one
      // is a new request and gets a new key.
      const sig = JSON.stringify(body)
      if (!this.key || this.sig !== sig) { this.key = api.newIdempotencyKey(); this.sig = sig }
      this.setData({ saving: true })
      const created = await run(this, () => api.createReturn(body, this.key, this.data.mode))
      this.setData({ saving: false })
      if (!created) {
        // the server refused (e.g. more than may still be returned): show what is returnable now
        if (this.data.error && !this.data.net) await this.refreshReturnable()
        return
      }
      wx.showToast({ title: '已提交，等待审核', icon: 'success' })
      wx.redirectTo({ url: '/pages/returns/index' + (this.data.mode === 'agent' ? '?mode=agent' : '') })
    },
    // Reloads the returnable quantities after a refusal, keeping the server's message on screen.
    async refreshReturnable() {
      let r
      try { r = await api.returnable(this.data.no, this.data.mode) } catch (err) { return }
      const lines = this.data.lines.map(l => {
        const now = r.lines.find(x => x.orderLineId === l.orderLineId)
        return now ? Object.assign({}, l, { returnedQuantity: now.returnedQuantity, returnableQuantity: now.returnableQuantity }) : l
      })
      this.setData({ lines })
      this.count()
    }
  }
})
