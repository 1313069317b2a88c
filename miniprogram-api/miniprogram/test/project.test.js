// The project as WeChat DevTools opens it: every page in app.json exists, miniprogram_npm is what "build npm" makes from
// the locked @vant/weapp, the AppID is the placeholder a distributor replaces, and only the API module talks to the server.
const fs = require('fs')
const path = require('path')
const root = path.resolve(__dirname, '..')

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory() ? files(path.join(dir, e.name)).map(f => path.join(e.name, f)) : [e.name])).sort()
}

test('every page listed in app.json has its js, json, wxml and wxss, and every component it uses exists', () => {
  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'))
  expect(app.pages[0]).toBe('pages/login/index')
  for (const page of app.pages) {
    for (const ext of ['js', 'json', 'wxml', 'wxss']) expect(fs.existsSync(path.join(root, page + '.' + ext))).toBe(true)
    const json = JSON.parse(fs.readFileSync(path.join(root, page + '.json'), 'utf8'))
    expect([page, typeof json.usingComponents]).toEqual([page, 'object'])   // pages built with Component() must declare it
    for (const c of Object.values(json.usingComponents || {})) expect(fs.existsSync(path.join(root, c + '.json'))).toBe(true)
  }
})

test('miniprogram_npm is exactly what build npm makes from the locked packages (@vant/weapp lib, @qiun/ucharts)', () => {
  const os = require('os')
  const { build } = require('../scripts/build-npm.js')
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'))
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-npm-'))
  for (const name of Object.keys(pkg.dependencies)) {
    const r = build(name, tmp)
    expect(r.version).toBe(lock.packages['node_modules/' + name].version)
    const made = path.join(tmp, name)
    const committed = path.join(root, 'miniprogram_npm', name)
    expect(files(committed)).toEqual(files(made))
    for (const f of files(made)) expect([name, f, fs.readFileSync(path.join(committed, f)).equals(fs.readFileSync(path.join(made, f)))]).toEqual([name, f, true])
  }
  fs.rmSync(tmp, { recursive: true, force: true })
})

test('the AppID is a placeholder, the server is set in config/config.js only, and pages never call wx.request themselves', () => {
  const project = JSON.parse(fs.readFileSync(path.join(root, 'project.config.json'), 'utf8'))
  expect(project.appid).toBe('wx0000000000000000')
  const sources = ['app.js', ...files(path.join(root, 'pages')).map(f => 'pages/' + f), ...files(path.join(root, 'components')).map(f => 'components/' + f)]
    .filter(f => f.endsWith('.js'))
  for (const f of sources) {
    const text = fs.readFileSync(path.join(root, f), 'utf8')
    expect([f, /wx\.request\(|https?:\/\//.test(text)]).toEqual([f, false])
  }
})
