// Logs a store visit (巡店, with the phone's location) or a follow-up call (回访) with a note. The server takes photo
// URLs but has no upload endpoint, so this page does not take photos.
const api = require('../../../utils/api.js')
const { run, watchNetwork, unwatchNetwork } = require('../../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', id: '', name: '', kind: 'store_visit', note: '', location: null, locationText: '', saving: false },
  methods: {
    onLoad(options) {
      watchNetwork(this)
      this.key = api.newIdempotencyKey()
      this.setData({ id: options.id, name: options.name || '' })
      return this.locate()
    },
    onUnload() { unwatchNetwork(this) },
    locate() {
      return new Promise(resolve => {
        wx.getLocation({
          type: 'gcj02',
          success: r => { this.setData({ location: { latitude: r.latitude, longitude: r.longitude }, locationText: r.latitude.toFixed(5) + ', ' + r.longitude.toFixed(5) }); resolve() },
          fail: () => { this.setData({ locationText: '未获取到位置（可在设置中允许定位）' }); resolve() }
        })
      })
    },
    kind(e) { this.setData({ kind: e.currentTarget.dataset.kind }) },
    note(e) { this.setData({ note: e.detail.value }) },
    async save() {
      if (this.data.saving) return
      this.setData({ saving: true })
      const loc = this.data.kind === 'store_visit' ? this.data.location : null
      const v = await run(this, () => api.logVisit(this.data.id, {
        kind: this.data.kind, note: this.data.note || null,
        latitude: loc ? loc.latitude : null, longitude: loc ? loc.longitude : null
      }, this.key))
      this.setData({ saving: false })
      if (!v) return
      wx.showToast({ title: '已记录', icon: 'success' })
      wx.navigateBack()
    }
  }
})
