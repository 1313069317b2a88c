#!/usr/bin/env node
// Does what WeChat DevTools' "构建 npm" (build npm) does for this project: copies each mini-program package's
// miniprogram entry (for @vant/weapp: lib/, CommonJS) into miniprogram_npm/<package>. Run after `npm ci`.
const fs = require('fs')
const path = require('path')
const root = path.join(__dirname, '..')
const pkg = require(path.join(root, 'package.json'))
for (const name of Object.keys(pkg.dependencies || {})) {
  const dir = path.join(root, 'node_modules', name)
  const meta = require(path.join(dir, 'package.json'))
  const entry = meta.miniprogram || 'miniprogram_dist'
  const from = path.join(dir, entry)
  const to = path.join(root, 'miniprogram_npm', name)
  fs.rmSync(to, { recursive: true, force: true })
  fs.mkdirSync(path.dirname(to), { recursive: true })
  fs.cpSync(from, to, { recursive: true })
  console.log('built ' + path.relative(root, to) + ' from ' + name + '@' + meta.version + '/' + entry)
}
