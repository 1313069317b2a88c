// The contract check of the Node tests (issue #21: every response of a full test run is validated against the OpenAPI
// document). The server these tests start records every answer it gives (Api:RecordResponsesTo, Development only; see
// miniprogram-api/OrderHub.Api/Infrastructure/ResponseRecording.cs) — so requests made by pages through wx.request, by
// the tests' own helpers and by downloads are all seen, exactly as the server sent them. After the run, global-teardown.js
// checks each against the document the same server served, with the rules of the .NET check
// (tests/OrderHub.Testing/Contract/OpenApiContract.cs): the status is documented for the operation, the media type is one
// it documents, a JSON body matches its schema. Ajv (draft 2020-12, the dialect of OpenAPI 3.1; formats are annotations,
// as in JsonSchema.Net) is the validator: a well-kept package, so no schema logic is written here. A mismatch fails the
// run naming the operation and the status.
const fs = require('fs')
const Ajv2020 = require('ajv/dist/2020').default

const BASE = 'https://orderhub.contract.test/document'

function rewrite(node) {
  if (Array.isArray(node)) return node.map(rewrite)
  if (node && typeof node === 'object') {
    const out = {}
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
        ? BASE + '#/$defs/' + v.slice('#/components/schemas/'.length)
        : rewrite(v)
    }
    return out
  }
  return node
}

function readRecording(file) {
  if (!fs.existsSync(file)) return []
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(l => l.length > 0)
  return lines.flatMap((line, i) => {
    try {
      const r = JSON.parse(line)
      return [{ method: r.method, path: r.path, status: r.status, mediaType: r.mediaType, body: Buffer.from(r.body || '', 'base64') }]
    } catch (e) {
      if (i === lines.length - 1) return [] // cut short when the server was stopped
      throw e
    }
  })
}

function check(document, responses) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
  ajv.addSchema({ $id: BASE, $defs: rewrite((document.components && document.components.schemas) || {}) })
  const paths = Object.keys(document.paths).map(template => {
    const segments = template.replace(/^\/|\/$/g, '').split('/')
    const pattern = new RegExp('^/' + segments.map(s => s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('/') + '$')
    return { template, pattern, literals: segments.filter(s => !s.startsWith('{')).length }
  })
  const validators = new Map()
  const failures = []
  let validated = 0
  let skipped = 0
  for (const r of responses) {
    const match = paths.filter(p => p.pattern.test(r.path)).sort((a, b) => b.literals - a.literals)[0]
    const method = r.method.toLowerCase()
    const op = match && document.paths[match.template][method]
    if (!op) { skipped++; continue }
    validated++
    const name = `${r.method} ${match.template}` + (op.operationId ? ` (${op.operationId})` : '')
    const text = r.body.toString('utf8')
    const excerpt = ` [${r.path}]` + (text ? ' ' + text.slice(0, 200) : '')
    const status = String(r.status)
    const resp = op.responses && (op.responses[status] || op.responses[status[0] + 'XX'] || op.responses.default)
    if (!resp) { failures.push(`${name} → ${r.status}: status not documented${excerpt}`); continue }
    if (r.body.length === 0) continue
    const content = resp.content || {}
    if (Object.keys(content).length === 0) { failures.push(`${name} → ${r.status}: a ${r.mediaType} body, but the document declares none${excerpt}`); continue }
    const media = r.mediaType && content[r.mediaType]
    if (!media) { failures.push(`${name} → ${r.status}: media type ${r.mediaType} not documented (documented: ${Object.keys(content).join(', ')})${excerpt}`); continue }
    if (!['application/json', 'application/problem+json'].includes(r.mediaType) || !media.schema) continue
    let body
    try { body = JSON.parse(text) } catch (e) { failures.push(`${name} → ${r.status}: body is not JSON${excerpt}`); continue }
    const key = `${method} ${match.template} ${status} ${r.mediaType}`
    if (!validators.has(key)) validators.set(key, ajv.compile(rewrite(media.schema)))
    const validate = validators.get(key)
    if (!validate(body)) {
      const errors = [...new Set(validate.errors.map(e => `${e.instancePath || '/'}: ${e.message}`))].slice(0, 5)
      failures.push(`${name} → ${r.status}: body does not match the schema: ${errors.join('; ')}${excerpt}`)
    }
  }
  return { validated, skipped, failures }
}

module.exports = { readRecording, check }
