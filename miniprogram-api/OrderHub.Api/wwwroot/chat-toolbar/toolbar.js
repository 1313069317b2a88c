// 聊天工具栏 (issue #20): WeChat Work opens this page beside an agent's chat with a store.
//  1. The agent signs in once with OrderHub's agent sign-in (mobile number and password, POST /api/auth/login); the tokens
//     stay in this webview's localStorage and are refreshed with /api/auth/refresh (one retry on 401).
//  2. wx.config + wx.agentConfig with the signatures of GET /api/agent/chat/js-sdk-config for this page's URL (no #fragment).
//  3. wx.invoke('getCurExternalContact') names the chat's external contact; GET /api/agent/chat/contacts/{id}/store shows
//     its store (receivable, last order, usual order, due restocks, open orders, promotions).
//  4. Each button makes a card (POST /api/agent/chat/cards: its own share code, counted in the chat-won figures) and sends
//     it into the chat as a mini-program message (wx.invoke('sendChatMessage', { msgtype: 'miniprogram', … })).

const TOKENS = 'orderhub.toolbar.tokens';
const JS_API_LIST = ['getCurExternalContact', 'sendChatMessage'];
const SDK_SCRIPTS = ['https://res.wx.qq.com/open/js/jweixin-1.2.0.js', 'https://open.work.weixin.qq.com/wwopen/js/jwxwork-1.0.0.js'];
const app = document.getElementById('app');

// ---- the server ----------------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.messageZh || (status === 404 ? '未找到' : status === 401 ? '请先登录' : status ? '请求失败 (' + status + ')' : '无法连接服务器'));
    this.status = status;
  }
}

const tokens = () => { try { return JSON.parse(localStorage.getItem(TOKENS)); } catch { return null; } };
const setTokens = (t) => t ? localStorage.setItem(TOKENS, JSON.stringify({ accessToken: t.accessToken, refreshToken: t.refreshToken })) : localStorage.removeItem(TOKENS);

async function refresh() {
  const t = tokens();
  if (!t?.refreshToken) return false;
  const res = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: t.refreshToken }) });
  if (!res.ok) { setTokens(null); return false; }
  setTokens(await res.json());
  return true;
}

async function api(method, path, body, retried = false) {
  const headers = { accept: 'application/json' };
  const t = tokens();
  if (t?.accessToken) headers.authorization = 'Bearer ' + t.accessToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try { res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }); }
  catch { throw new ApiError(0); }
  if (res.status === 401 && !retried && await refresh()) return api(method, path, body, true);
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// ---- WeChat Work's JS-SDK ------------------------------------------------------------------------------------------

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src; s.onload = resolve; s.onerror = () => reject(new Error('无法加载企业微信 JS-SDK'));
    document.head.appendChild(s);
  });
}

async function sdk() {
  // Inside WeChat Work the SDK comes from WeChat's servers; a test (or a client that injects it) may provide wx already.
  if (!window.wx) for (const src of SDK_SCRIPTS) await loadScript(src);
  if (!window.wx) throw new Error('请在企业微信中打开');
  return window.wx;
}

/** wx.config (the corp's ticket) then wx.agentConfig (the app's ticket), both over this page's URL without the #fragment. */
async function configure(wx) {
  const url = location.href.split('#')[0];
  const c = await api('GET', '/api/agent/chat/js-sdk-config?url=' + encodeURIComponent(url));
  await new Promise((resolve, reject) => {
    wx.config({ beta: true, debug: false, appId: c.corpId, timestamp: c.timestamp, nonceStr: c.nonceStr, signature: c.signature, jsApiList: JS_API_LIST });
    wx.error((e) => reject(new Error('企业微信 JS-SDK 配置失败：' + (e?.errMsg || e?.err_msg || ''))));
    wx.ready(() => wx.agentConfig({
      corpid: c.corpId, agentid: c.agentId, timestamp: c.timestamp, nonceStr: c.nonceStr, signature: c.agentSignature, jsApiList: JS_API_LIST,
      success: resolve,
      fail: (e) => reject(new Error('应用签名失败 (agentConfig)：' + (e?.errMsg || e?.err_msg || ''))),
    }));
  });
}

function invoke(wx, name, args) {
  return new Promise((resolve, reject) => wx.invoke(name, args, (res) => {
    const msg = res?.err_msg || res?.errMsg || '';
    if (msg.endsWith(':ok')) resolve(res);
    else reject(new Error(msg.endsWith(':cancel') ? '已取消' : name + ' 失败：' + msg));
  }));
}

// ---- the page ------------------------------------------------------------------------------------------------------

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]));
const day = (t) => (t || '').slice(0, 10);

function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text; el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 2500);
}

function signInForm(message) {
  app.innerHTML = `
    <div class="card">
      <h1>门店助手</h1>
      <p class="muted">用业务员手机号和密码登录 OrderHub (只需一次)。</p>
      ${message ? `<p class="error">${esc(message)}</p>` : ''}
      <form id="login">
        <label>手机号<input id="mobile" name="mobile" inputmode="tel" autocomplete="username" required></label>
        <label>密码<input id="password" name="password" type="password" autocomplete="current-password" required></label>
        <button class="primary" type="submit">登录</button>
      </form>
    </div>`;
  document.getElementById('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      setTokens(await api('POST', '/api/auth/login', { mobile: document.getElementById('mobile').value.trim(), password: document.getElementById('password').value }));
      start();
    } catch (err) { signInForm(err.message); }
  });
}

function render(store, wx) {
  const last = store.lastOrder;
  app.innerHTML = `
    <section class="card" id="store">
      <h1 id="store-name">${esc(store.name)}</h1>
      <div class="muted">${esc(store.code)}${store.contactName ? ' · ' + esc(store.contactName) : ''}</div>
      <div class="figures">
        <div class="figure owes"><span class="muted">应收款</span><b id="receivable">${esc(store.receivableText)}</b></div>
        <div class="figure"><span class="muted">未完成订单</span><b id="open-count">${store.openOrderCount}</b></div>
      </div>
      <p class="muted" id="last-order">${last ? `最近一单 ${esc(last.orderNo)} · ${esc(day(last.createdAt))} · ${esc(last.totalText)} · ${esc(last.statusLabel)}` : '还没有下过单'}</p>
    </section>
    <section class="card" id="usual">
      <h2>常用单 <button class="primary" data-kind="usual_order" ${store.usualItems.length ? '' : 'disabled'}>发送常用单</button></h2>
      <ul class="rows">${store.usualItems.map((i) => `
        <li data-sku="${esc(i.sku)}"><div class="grow"><div class="name">${esc(i.name)}</div>
          <div class="muted"><span class="qty">${i.lastQuantity}</span> ${esc(i.unit)} · ${esc(i.unitPriceText)} · 订过 ${i.timesOrdered} 次</div></div>
          <button data-kind="product" data-subject="${esc(i.sku)}">发送</button></li>`).join('') || '<li class="muted">还没有常购商品</li>'}</ul>
    </section>
    <section class="card" id="restock">
      <h2>该补货了</h2>
      <ul class="rows">${store.dueRestocks.map((r) => `
        <li data-sku="${esc(r.sku)}"><div class="grow"><div class="name">${esc(r.name)}</div><div class="muted">通常 <span class="qty">${r.usualQuantity}</span> ${esc(r.unit)} · ${esc(r.reason)}</div></div>
          <button data-kind="product" data-subject="${esc(r.sku)}">发送</button></li>`).join('') || '<li class="muted">没有该补货的商品</li>'}</ul>
    </section>
    <section class="card" id="orders">
      <h2>未完成订单</h2>
      <ul class="rows">${store.openOrders.map((o) => `
        <li data-order-no="${esc(o.orderNo)}"><div class="grow"><div class="name">${esc(o.orderNo)}</div><div class="muted">${esc(day(o.createdAt))} · ${esc(o.totalText)}</div></div>
          <span class="status">${esc(o.statusLabel)}</span><button data-kind="order_status" data-subject="${esc(o.orderNo)}">发送状态</button></li>`).join('') || '<li class="muted">没有未完成的订单</li>'}</ul>
    </section>
    <section class="card" id="promotions">
      <h2>促销</h2>
      <ul class="rows">${store.promotions.map((p) => `
        <li data-promotion-id="${p.id}"><div class="grow"><div class="name">${esc(p.name)}</div><div class="muted">${esc(p.kindLabel)} · ${esc(p.badge)} · 至 ${esc(day(p.endsAt))}</div></div>
          <button data-kind="promotion" data-subject="${p.id}">发送</button></li>`).join('') || '<li class="muted">暂无促销</li>'}</ul>
    </section>`;
  app.addEventListener('click', async (e) => {
    const b = e.target.closest('button[data-kind]');
    if (!b || b.disabled) return;
    b.disabled = true;
    try {
      await send(wx, store.customerId, b.dataset.kind, b.dataset.subject);
      toast('已发送');
    } catch (err) { toast(err.message); }
    finally { b.disabled = false; }
  });
}

/** A card with its own share code (counted for the agent), sent into the chat as a mini-program message. */
async function send(wx, customerId, kind, subject) {
  const card = await api('POST', '/api/agent/chat/cards', { customerId, kind, subject: subject ?? null });
  await invoke(wx, 'sendChatMessage', {
    msgtype: 'miniprogram', enterChat: false,
    miniprogram: { appid: card.appId, title: card.title, imgUrl: new URL('cover.png', location.href).href, page: card.weComPage },
  });
}

async function start() {
  if (!tokens()) return signInForm();
  app.innerHTML = '<p class="muted center">加载中…</p>';
  try {
    const wx = await sdk();
    await configure(wx);
    const contact = await invoke(wx, 'getCurExternalContact', {});
    const store = await api('GET', '/api/agent/chat/contacts/' + encodeURIComponent(contact.userId) + '/store');
    render(store, wx);
  } catch (err) {
    if (err.status === 401) return signInForm('登录已过期，请重新登录');
    app.innerHTML = `<div class="card"><p class="error" id="error">${esc(err.status === 404 ? '这位客户还没有关联到你的门店 (请让门店扫你的「联系我」码，或请后台关联)' : err.message)}</p></div>`;
  }
}

start();
