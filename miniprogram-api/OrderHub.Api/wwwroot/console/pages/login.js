import { signIn } from '../api.js';
import { h } from '../ui.js';

export async function render(root, { onSignedIn }) {
  const error = h('p.error#login-error', { role: 'alert', 'aria-live': 'assertive' });
  const login = h('input#login', { name: 'login', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input#password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button.btn.primary.wide', { type: 'submit' }, '登录');
  const form = h('form.login-card', { 'aria-label': '员工登录' },
    h('h1', 'OrderHub 管理后台'),
    h('p.muted', '经销商订货系统 · 员工登录'),
    h('label.field', h('span', '登录名'), login),
    h('label.field', h('span', '密码'), password),
    error,
    submit);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    error.textContent = '';
    if (!login.value.trim() || !password.value) { error.textContent = '请输入登录名和密码'; return; }
    submit.disabled = true;
    submit.textContent = '登录中…';
    try {
      await signIn(login.value.trim(), password.value);
      await onSignedIn();
    } catch (err) {
      error.textContent = err.status === 401 ? '用户名或密码错误' : err.message;
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = '登录';
    }
  });
  root.append(h('div.login-page', form));
  login.focus();
}
