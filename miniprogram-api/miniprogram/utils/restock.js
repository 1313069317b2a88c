// 补货提醒 (issue #18): the server's due products as a page shows them, and putting each one's usual quantity in a cart —
// the store's own (customerId empty) or an agent's proxy cart for one store. Each line goes through the cart's own add
// API, so the server's rules (MOQ, packs, stock, availability) decide; a refused line keeps the server's Chinese message.
const api = require('./api.js')

function view(items) {
  return (items || []).map(x => ({ productId: x.productId, sku: x.sku, name: x.name, unit: x.unit, quantity: x.usualQuantity,
    reason: x.reason, reminded: x.state === 'AlreadyReminded' }))
}

// Adds the lines one after another; returns { added: [sku], refused: [{ sku, name, message }] }.
async function addAll(customerId, lines) {
  const added = []
  const refused = []
  for (const l of lines) {
    try {
      await api.addToCart(customerId || null, l.sku, Number(l.quantity))
      added.push(l.sku)
    } catch (err) {
      if (err.loginRequired) throw err
      refused.push({ sku: l.sku, name: l.name, message: l.name + '：' + (err.message || '未能加入购物车') })
    }
  }
  return { added, refused }
}

module.exports = { view, addAll }
