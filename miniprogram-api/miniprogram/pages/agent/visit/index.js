// Logs a store visit (巡店, with the phone's location and photos) or a follow-up call (回访) with a note. Photos are taken
// or picked with wx.chooseMedia, uploaded one by one with wx.uploadFile (POST /api/agent/visit-photos, each with its own
// Idempotency-Key), shown as thumbnails, and sent with the visit as photoIds.
const api = require('../../../utils/api.js')
const { run, watchNetwork, unwatchNetwork } = require('../../../utils/page.js')

const MAX_PHOTOS = 9

Component({
  data: { loading: false, error: '', net: '', id: '', name: '', kind: 'store_visit', note: '', location: null, locationText: '', saving: false,
    photos: [], uploading: 0, maxPhotos: MAX_PHOTOS },
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
    // 拍照: camera or album, compressed by WeChat; each photo uploads at once so saving the visit is quick.
    addPhotos() {
      const left = MAX_PHOTOS - this.data.photos.length - this.data.uploading
      if (left <= 0) return
      return new Promise(resolve => {
        wx.chooseMedia({
          count: left, mediaType: ['image'], sourceType: ['camera', 'album'], sizeType: ['compressed'],
          success: res => resolve(Promise.all(res.tempFiles.map(f => this.upload(f.tempFilePath)))),
          fail: () => resolve()
        })
      })
    },
    async upload(filePath) {
      this.setData({ uploading: this.data.uploading + 1, error: '' })
      try {
        const photo = await api.uploadVisitPhoto(filePath)
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
    preview(e) {
      const urls = this.data.photos.map(p => p.url)
      wx.previewImage({ current: e.currentTarget.dataset.url, urls })
    },
    async save() {
      if (this.data.saving || this.data.uploading) return
      this.setData({ saving: true })
      const loc = this.data.kind === 'store_visit' ? this.data.location : null
      const visit = {
        kind: this.data.kind, note: this.data.note || null,
        latitude: loc ? loc.latitude : null, longitude: loc ? loc.longitude : null
      }
      if (this.data.photos.length) visit.photoIds = this.data.photos.map(p => p.id)
      const v = await run(this, () => api.logVisit(this.data.id, visit, this.key))
      this.setData({ saving: false })
      if (!v) return
      wx.showToast({ title: '已记录', icon: 'success' })
      wx.navigateBack()
    }
  }
})
