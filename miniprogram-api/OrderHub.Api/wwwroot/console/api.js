// The console's only door to the server: bearer tokens in sessionStorage, one refresh on 401, RFC 9457 problems as errors.

const KEY = 'orderhub.console.tokens';

export class ApiError extends Error {
  constructor(status, problem) {
    const zh = problem?.messageZh || firstValidationMessage(problem) || defaultMessage(status);
    super(zh);
    this.status = status;
    this.problem = problem || {};
  }
}

function firstValidationMessage(p) {
  if (!p || !p.errors) return null;
  for (const list of Object.values(p.errors)) {
    if (Array.isArray(list) && list.length) return String(list[0]).split(' / ')[0];
  }
  return null;
}

function defaultMessage(status) {
  switch (status) {
    case 401: return '请先登录，或登录已过期';
    case 403: return '您没有执行此操作的权限';
    case 404: return '请求的资源不存在';
    case 409: return '订单状态已变化，请刷新后再试';
    case 0: return '无法连接服务器，请检查网络';
    default: return status >= 500 ? '服务器错误，请稍后再试' : '请求失败';
  }
}

export function tokens() {
  try { return JSON.parse(sessionStorage.getItem(KEY)) || null; } catch { return null; }
}

export function setTokens(t) {
  if (t) sessionStorage.setItem(KEY, JSON.stringify({ accessToken: t.accessToken, refreshToken: t.refreshToken }));
  else sessionStorage.removeItem(KEY);
}

let onSignedOut = () => {};
export function whenSignedOut(fn) { onSignedOut = fn; }

async function refresh() {
  const t = tokens();
  if (!t?.refreshToken) return false;
  const res = await fetch('/api/auth/refresh', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: t.refreshToken }),
  });
  if (!res.ok) return false;
  setTokens(await res.json());
  return true;
}

async function send(method, path, body, headers = {}, retried = false) {
  const t = tokens();
  const h = { accept: 'application/json', ...headers };
  if (t?.accessToken) h.authorization = `Bearer ${t.accessToken}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, null);
  }
  if (res.status === 401 && !retried && t?.refreshToken && !path.startsWith('/api/auth/')) {
    if (await refresh()) return send(method, path, body, headers, true);
    setTokens(null);
    onSignedOut();
  }
  return res;
}

async function read(res) {
  const type = res.headers.get('content-type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : null;
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const api = {
  get: async (path) => read(await send('GET', path)),
  post: async (path, body, headers) => read(await send('POST', path, body ?? {}, headers)),
  put: async (path, body, headers) => read(await send('PUT', path, body ?? {}, headers)),
  del: async (path) => read(await send('DELETE', path)),
  /** GET that answers null on 404 (a feature that is not switched on). */
  optional: async (path) => {
    const res = await send('GET', path);
    if (res.status === 404) return null;
    return read(res);
  },
  /** Uploads one file as multipart part "file" (images: the server checks the content, not the name). */
  upload: async (path, file, headers = {}) => {
    const form = new FormData();
    form.append('file', file, file.name || 'image');
    const t = tokens();
    const h = { accept: 'application/json', ...headers };
    if (t?.accessToken) h.authorization = `Bearer ${t.accessToken}`;
    let res;
    try { res = await fetch(path, { method: 'POST', headers: h, body: form }); } catch { throw new ApiError(0, null); }
    if (res.status === 401 && t?.refreshToken && await refresh()) return api.upload(path, file, headers);
    return read(res);
  },
  /** Downloads a file with the bearer token and hands it to the browser under the server's file name. */
  download: async (path, fallbackName, body) => {
    const res = await send(body === undefined ? 'GET' : 'POST', path, body, { accept: '*/*' });
    if (!res.ok) await read(res);
    const blob = await res.blob();
    const name = fileName(res.headers.get('content-disposition')) || fallbackName;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url; a.download = name; a.style.display = 'none';
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 1000);
    return { name, size: blob.size };
  },
  /** POSTs a body and downloads the file the server answers (报表导出). */
  downloadPost: (path, body, fallbackName) => api.download(path, fallbackName, body),
};

function fileName(disposition) {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : null;
}

export function newIdempotencyKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

export async function signIn(login, password) {
  const res = await fetch('/api/auth/staff/login', {
    method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ login, password }),
  }).catch(() => { throw new ApiError(0, null); });
  const data = await read(res);
  setTokens(data);
  return data;
}
