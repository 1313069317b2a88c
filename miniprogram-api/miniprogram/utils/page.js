// What every page does around an API call: a loading state, the network state (slow / offline) and the error as the
// server's Chinese message.
const api = require('./api.js')

// Mixes the network state into a page: data.net is '' | 'slow' | 'offline'. Call in attached / onLoad.
function watchNetwork(page) {
  if (page._unwatch) return
  page._unwatch = api.onNetwork(state => page.setData({ net: state === 'online' ? '' : state }))
}
function unwatchNetwork(page) { if (page._unwatch) { page._unwatch(); page._unwatch = null } }

function showError(err) {
  const title = (err && err.message) || '出错了，请稍后重试'
  wx.showToast({ title, icon: 'none', duration: 3000 })
}

// Runs an API call for a page: sets loading, and on failure shows the Chinese message and keeps it in data.error.
async function run(page, fn, opts) {
  page.setData({ loading: true, error: '' })
  try {
    const result = await fn()
    page.setData({ loading: false })
    return result
  } catch (err) {
    page.setData({ loading: false, error: err.message || '出错了' })
    if (err.loginRequired) { wx.reLaunch({ url: '/pages/login/index' }); return undefined }
    if (!(opts && opts.quiet)) showError(err)
    if (opts && opts.rethrow) throw err
    return undefined
  }
}

module.exports = { run, showError, watchNetwork, unwatchNetwork }
