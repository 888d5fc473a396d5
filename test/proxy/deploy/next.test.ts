// @vitest-environment node
/**
 * README, Deploy, "Next.js (App Router)": the route module, called as Next
 * calls it (a web Request for the public URL, and a context with `params`), and
 * checked as `next build` checks it. No next package needed: the handler is
 * web-standard.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { createProxyHandler } from '../../../src/proxy/index.js'
import { browserEvent, browserPost, stored, useCollector } from '../../support/deploy.js'
import { nextRouteTypeErrors } from '../../support/next-route-check.js'

/** The recipe, word for word: the type check below compiles this text. */
const ROUTE = `// app/api/pollen/route.ts
import { createProxyHandler } from '../../../src/proxy/index.js'

const pollen = createProxyHandler({ apiKey: process.env.HH_API_KEY, project: 'Simple RAG' })
export const POST = pollen
export const OPTIONS = pollen
`

const collector = useCollector()

/** app/api/pollen/route.ts as above; only `upstream` is added, to reach the local collector instead of HoneyHive. */
function routeModule() {
  const pollen = createProxyHandler({ apiKey: process.env.HH_API_KEY, project: 'Simple RAG', upstream: collector.url })
  return { POST: pollen, OPTIONS: pollen }
}

test('POST stores the event a page on https://chat.example posts to /api/pollen', async () => {
  const { POST } = routeModule()
  const event = browserEvent()
  const request = new Request('https://chat.example/api/pollen', browserPost('https://chat.example', [event], { Host: 'chat.example' }))
  // Next passes a second argument, the segment's params.
  const response: Response = await Reflect.apply(POST, undefined, [request, { params: Promise.resolve({}) }])
  expect(response.status).toBe(200)
  expect(await response.json()).toEqual({ accepted: [event.event_id], kinds: ['event'], rejected: [], supports: ['seq', 'gzip'] })
  expect(await stored(collector.url, event.event_id)).toMatchObject([{ event_id: event.event_id, project: 'Simple RAG' }])
})

test('a page of another origin is refused', async () => {
  const { POST } = routeModule()
  const request = new Request('https://chat.example/api/pollen', browserPost('https://evil.example', [browserEvent()], { Host: 'chat.example' }))
  const response = await POST(request)
  expect(response.status).toBe(403)
  expect((await response.json()).error.code).toBe('origin-not-allowed')
})

test('Next gives no client address: one rate-limit bucket for all, unless trustProxy keys it by X-Forwarded-For (Vercel overwrites it)', async () => {
  const visit = (POST: (request: Request) => Promise<Response>, ip: string) =>
    POST(new Request('https://chat.example/api/pollen', browserPost('https://chat.example', [browserEvent()], { Host: 'chat.example', 'X-Forwarded-For': ip })))
  const rateLimit = { requests: 1, perMs: 60_000 }

  const shared = createProxyHandler({ apiKey: process.env.HH_API_KEY, project: 'Simple RAG', upstream: collector.url, rateLimit })
  expect((await visit(shared, '203.0.113.1')).status).toBe(200)
  expect((await visit(shared, '203.0.113.2')).status).toBe(429)

  const perVisitor = createProxyHandler({ apiKey: process.env.HH_API_KEY, project: 'Simple RAG', upstream: collector.url, rateLimit, trustProxy: true })
  expect((await visit(perVisitor, '203.0.113.1')).status).toBe(200)
  expect((await visit(perVisitor, '203.0.113.1')).status).toBe(429)
  expect((await visit(perVisitor, '203.0.113.2')).status).toBe(200)
})

describe('the type check of next build (Next 15 and 16)', () => {
  let errors: Record<'recipe' | 'wrapped' | 'refused', string>
  beforeAll(() => {
    errors = nextRouteTypeErrors({
      recipe: ROUTE,
      // Controls, so that a failure of the recipe is the recipe's: a route Next accepts, and one it refuses.
      wrapped: ROUTE.replace('export const POST = pollen\nexport const OPTIONS = pollen', 'export const POST = (request: Request) => pollen(request)\nexport const OPTIONS = POST'),
      refused: 'export const POST = (request: Request, context: { user: string }) => new Response(context.user)\n',
    })
  }, 20_000)

  test('passes the route module', () => {
    expect(errors.recipe).toBe('')
  })

  test('passes a route Next accepts and fails one it refuses (the check itself is sound)', () => {
    expect(errors.wrapped).toBe('')
    expect(errors.refused).toMatch(/POST/)
  })
})
