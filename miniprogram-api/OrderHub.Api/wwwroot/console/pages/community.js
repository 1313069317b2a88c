// 经销商社区 (issue #20): the office writes announcements, materials (pictures, PDFs, a video link) and new-product sheets
// (linking SKUs), publishes, unpublishes and pins them, and sees which stores read each. Pictures go through the media
// upload (JPEG/PNG/WebP), PDFs are checked by the server (content and size, 20 MB).
import { api } from '../api.js';
import { h, clear, dateTime, dialog, badge, loading, problemBox, table, attempt, toast } from '../ui.js';

const KINDS = [{ value: 'announcement', label: '公告' }, { value: 'material', label: '营销素材' }, { value: 'new_product', label: '新品速递' }];

export async function render(main) {
  const list = h('div');
  const detail = h('div.community-detail');
  clear(main, h('div.page-head', h('h1', '经销商社区'),
    h('button.btn.primary', { type: 'button', id: 'new-post', on: { click: () => edit(null) } }, '写新文章')), list, detail);

  async function load() {
    clear(list, loading());
    try {
      const { items } = await api.get('/api/admin/community/posts');
      clear(list, table([
        { label: '标题', render: p => h('span', p.pinned ? badge('置顶', 'warn') : null, ' ', p.title), wrap: true },
        { label: '类型', key: 'kindLabel' },
        { label: '状态', render: p => p.published ? badge('已发布', 'ok') : badge('草稿') },
        { label: '发布时间', render: p => p.publishedAt ? dateTime(p.publishedAt) : '—' },
        { label: '阅读门店', num: true, key: 'storesRead' },
        { label: '阅读次数', num: true, key: 'reads' },
      ], items, { onRowClick: p => show(p.id), rowAttrs: p => ({ id: `post-${p.id}` }), empty: '还没有文章' }));
    } catch (e) { clear(list, problemBox(e)); }
  }

  async function show(id) {
    clear(detail, loading());
    let r;
    try { r = await api.get(`/api/admin/community/posts/${id}`); } catch (e) { clear(detail, problemBox(e)); return; }
    const p = r.post;
    const pictureInput = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp', id: 'upload-picture', on: { change: e => upload(p, e.target.files[0], 'images') } });
    const pdfInput = h('input', { type: 'file', accept: 'application/pdf', id: 'upload-pdf', on: { change: e => upload(p, e.target.files[0], 'files') } });
    clear(detail,
      h('h2', p.title, ' ', p.published ? badge('已发布', 'ok') : badge('草稿')),
      h('p.muted', `${p.kindLabel}${p.publishedAt ? ' · 发布于 ' + dateTime(p.publishedAt) : ''} · ${p.storesRead} 家门店阅读 ${p.reads} 次`),
      h('p', { style: 'white-space: pre-wrap' }, p.body),
      p.videoUrl ? h('p', '视频：', h('a', { href: p.videoUrl, target: '_blank', rel: 'noopener' }, p.videoUrl)) : null,
      p.images.length ? h('div.photos', p.images.map(i => h('a', { href: i.url, target: '_blank' }, h('img', { src: i.thumbnailUrl, alt: '图片', height: 96 })))) : null,
      p.files.length ? h('ul', p.files.map(f => h('li', h('a', { href: '#', on: { click: e => { e.preventDefault(); api.download(`/api/admin/community/files/${f.id}`, f.name); } } }, `📄 ${f.name}`), ` (${Math.ceil(f.sizeBytes / 1024)} KB)`))) : null,
      p.products.length ? h('p', '关联商品：', p.products.map(x => `${x.name} (${x.sku})`).join('、')) : null,
      h('div.actions',
        h('button.btn', { type: 'button', id: 'edit-post', on: { click: () => edit(r) } }, '修改'),
        p.published
          ? h('button.btn.danger', { type: 'button', id: 'unpublish', on: { click: () => publish(p, false) } }, '撤回')
          : h('button.btn.primary', { type: 'button', id: 'publish', on: { click: () => publish(p, true) } }, '发布'),
        h('label.btn', '上传图片 ', pictureInput), h('label.btn', '上传 PDF ', pdfInput)),
      h('h3', '阅读的门店'),
      table([
        { label: '门店', render: s => `${s.name} (${s.code})` },
        { label: '次数', num: true, key: 'reads' },
        { label: '首次', render: s => dateTime(s.firstReadAt) },
        { label: '最近', render: s => dateTime(s.lastReadAt) },
      ], r.stores, { empty: '还没有门店阅读' }));
  }

  function body(p, extra = {}) {
    return {
      kind: p.kind, title: p.title, body: p.body, videoUrl: p.videoUrl, pinned: p.pinned,
      imageIds: p.images.map(i => i.id), fileIds: p.files.map(f => f.id), productSkus: p.products.map(x => x.sku), ...extra,
    };
  }

  async function upload(p, file, what) {
    if (!file) return;
    try {
      const saved = await api.upload(`/api/admin/community/${what}`, file);
      const extra = what === 'images' ? { imageIds: [...p.images.map(i => i.id), saved.id] } : { fileIds: [...p.files.map(f => f.id), saved.id] };
      await api.put(`/api/admin/community/posts/${p.id}`, body(p, extra));
      toast(what === 'images' ? '图片已添加' : 'PDF 已添加');
      await load(); await show(p.id);
    } catch (e) { toast(e.message, 'error'); }
  }

  async function publish(p, on) {
    if (await attempt(() => api.post(`/api/admin/community/posts/${p.id}/${on ? 'publish' : 'unpublish'}`), on ? '已发布，门店可见' : '已撤回')) { await load(); await show(p.id); }
  }

  async function edit(r) {
    const p = r?.post;
    const v = await dialog({
      title: p ? `修改：${p.title}` : '写新文章', okText: '保存',
      fields: [
        { name: 'kind', label: '类型', type: 'select', options: KINDS, value: p?.kind ?? 'announcement' },
        { name: 'title', label: '标题', required: true, value: p?.title ?? '' },
        { name: 'body', label: '正文', type: 'textarea', value: p?.body ?? '' },
        { name: 'videoUrl', label: '视频链接 (https，可不填)', value: p?.videoUrl ?? '' },
        { name: 'skus', label: '关联商品 SKU (新品速递必填，逗号分隔)', value: p ? p.products.map(x => x.sku).join(',') : '' },
        { name: 'pinned', label: '置顶', type: 'select', options: [{ value: 'false', label: '否' }, { value: 'true', label: '是' }], value: String(p?.pinned ?? false) },
      ],
    });
    if (!v) return;
    const fields = {
      kind: v.kind, title: v.title, body: v.body, videoUrl: v.videoUrl || null, pinned: v.pinned === 'true',
      productSkus: v.skus.split(/[,，\s]+/).filter(Boolean),
    };
    const saved = await attempt(() => p
      ? api.put(`/api/admin/community/posts/${p.id}`, { ...body(p), ...fields })
      : api.post('/api/admin/community/posts', { ...fields, imageIds: [], fileIds: [] }), '已保存');
    if (saved) { await load(); await show(saved.post.id); }
  }

  await load();
}
