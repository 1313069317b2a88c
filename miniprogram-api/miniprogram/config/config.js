// The one place the mini-program knows its server. A distributor edits this file before uploading (see README.md).
module.exports = {
  // OrderHub's https host; it must be listed as a request domain (request合法域名 and downloadFile合法域名) in the mini-program console.
  baseUrl: 'https://orderhub.example.com',
  // Requests slower than this show the "网络较慢" state; requests are abandoned after timeoutMs.
  slowMs: 2000,
  timeoutMs: 15000,
  // Retries of a request that got no answer (or a 502/503/504/429); writes keep the same Idempotency-Key.
  retries: 2,
  retryDelayMs: 500,
  // Subscribe-message template keys asked for at the first order submit; their ids come from GET /api/wechat/templates.
  subscribeKeys: ['OrderApproved', 'OrderRejected', 'OrderShipped'],
  // Demo only: shows a development sign-in on the login page (the server allows it only when ASPNETCORE_ENVIRONMENT=Development).
  devLogin: false
}
