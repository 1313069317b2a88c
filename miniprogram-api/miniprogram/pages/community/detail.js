// One 经销商社区 post: its text, pictures (tap to enlarge), PDFs (opened in WeChat's viewer), video link (copied) and the
// products of a new-product sheet (tap to open). Opening it counts as this store's read on the server.
const api = require('../../utils/api.js')
const { run, watchNetwork, unwatchNetwork } = require('../../utils/page.js')

Component({
  data: { loading: false, error: '', net: '', id: null, post: null },
  methods: {
    onLoad(q) {
      watchNetwork(this)
      this.setData({ id: q && q.id })
      if (q && q.share) wx.setStorageSync('shareCode', q.share)
      return this.load()
    },
    onUnload() { unwatchNetwork(this) },
    async load() {
      const post = await run(this, () => api.communityPost(this.data.id))
      if (post) {
        this.setData({ post })
        wx.setNavigationBarTitle({ title: post.kindLabel })
      }
    },
    preview(e) {
      const urls = this.data.post.images.map(i => i.url)
      wx.previewImage({ urls, current: urls[e.currentTarget.dataset.index] })
    },
    async openFile(e) {
      const f = this.data.post.files[e.currentTarget.dataset.index]
      await run(this, async () => {
        const file = await api.download(f.url)
        await new Promise((resolve, reject) => wx.openDocument({ filePath: file, fileType: 'pdf', showMenu: true, success: resolve, fail: () => reject(new api.ApiError('无法打开文件', {})) }))
      })
    },
    copyVideo() {
      wx.setClipboardData({ data: this.data.post.videoUrl })
    },
    openProduct(e) {
      wx.navigateTo({ url: '/pages/product/index?sku=' + encodeURIComponent(e.currentTarget.dataset.sku) })
    }
  }
})
