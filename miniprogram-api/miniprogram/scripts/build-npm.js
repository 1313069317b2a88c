#!/usr/bin/env node
// Does what WeChat DevTools' "构建 npm" (build npm) does for this project's dependencies:
//  - a package with a `miniprogram` entry (@vant/weapp → lib/, CommonJS) is copied into miniprogram_npm/<package>;
//  - a package without one (@qiun/ucharts, one ES-module file) gets its main file as miniprogram_npm/<package>/index.js,
//    its `export default X` turned into `module.exports = X` (DevTools transpiles it the same way).
// Run after `npm ci`; test/project.test.js checks that the committed miniprogram_npm is what this makes.
const fs = require('fs')
const path = require('path')
const root = path.join(__dirname, '..')
const pkg = require(path.join(root, 'package.json'))

function build(name, outRoot) {
  const dir = path.join(root, 'node_modules', name)
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  const to = path.join(outRoot || path.join(root, 'miniprogram_npm'), name)
  fs.rmSync(to, { recursive: true, force: true })
  fs.mkdirSync(to, { recursive: true })
  if (meta.miniprogram) {
    fs.cpSync(path.join(dir, meta.miniprogram), to, { recursive: true })
    return { name, version: meta.version, from: meta.miniprogram }
  }
  const main = meta.main || 'index.js'
  let code = fs.readFileSync(path.join(dir, main), 'utf8')
  const esm = /\nexport default (\w+);?\s*$/
  if (esm.test(code)) code = code.replace(esm, '\nmodule.exports = $1;\n')
  if (/^\s*(import|export)\s/m.test(code)) throw new Error(name + ': ES module syntax left in ' + main)
  fs.writeFileSync(path.join(to, 'index.js'), code)
  return { name, version: meta.version, from: main }
}

if (require.main === module) {
  for (const name of Object.keys(pkg.dependencies || {})) {
    const r = build(name)
    console.log('built miniprogram_npm/' + r.name + ' from ' + r.name + '@' + r.version + '/' + r.from)
  }
}

module.exports = { build }
