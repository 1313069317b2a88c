// The Node side's contract check itself (test/support/contract.js): it must name the operation and the status of an
// undocumented answer and of a body that does not match its schema, and pass a matching one.
const contract = require('./support/contract')

const document = {
  openapi: '3.1.1',
  paths: {
    '/api/things/{id}': {
      get: {
        operationId: 'GetThing',
        responses: {
          200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          404: { content: { 'application/problem+json': { schema: { type: 'object' } } } }
        }
      }
    }
  },
  components: { schemas: { Thing: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } } }
}
const answer = (status, body, mediaType = 'application/json') => ({ method: 'GET', path: '/api/things/7', status, mediaType, body: Buffer.from(JSON.stringify(body)) })

test('the contract check names the operation and status of each mismatch', () => {
  const result = contract.check(document, [
    answer(200, { id: 7 }),
    answer(404, { title: 'x' }, 'application/problem+json'),
    answer(409, { title: 'x' }, 'application/problem+json'),
    answer(200, { id: 'seven' }),
    answer(200, { id: 7 }, 'text/plain'),
    { method: 'GET', path: '/elsewhere', status: 200, mediaType: 'text/html', body: Buffer.from('<p>') }
  ])
  expect(result.validated).toBe(5)
  expect(result.skipped).toBe(1)
  expect(result.failures).toHaveLength(3)
  expect(result.failures[0]).toMatch(/^GET \/api\/things\/\{id\} \(GetThing\) → 409: status not documented/)
  expect(result.failures[1]).toMatch(/^GET \/api\/things\/\{id\} \(GetThing\) → 200: body does not match the schema: \/id: must be integer/)
  expect(result.failures[2]).toMatch(/→ 200: media type text\/plain not documented/)
})
