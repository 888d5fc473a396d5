/**
 * A failing collector: an HTTP front that forwards to the real collector but,
 * for a seeded share of requests, answers 500, answers 429 with Retry-After,
 * stores the request and then resets the connection (the proxy never hears
 * the answer), or stalls 3 s first. It also counts every event id that
 * reaches the collector, to measure duplicate deliveries on the wire.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRandom } from './prng.js'

export type FaultKind = '500' | '429' | 'reset' | 'stall'
const KINDS: readonly FaultKind[] = ['500', '429', 'reset', 'stall']

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export async function startFaultFront(options: { upstream: string; seed: number; rate: number; stallMs?: number }) {
  const random = createRandom(options.seed ^ 0x5eed)
  const faults: Record<FaultKind, number> = { '500': 0, '429': 0, reset: 0, stall: 0 }
  /** How often each event id (creates) reached the collector. */
  const deliveries = new Map<string, number>()
  let requests = 0
  let whileFailing = 0
  let enabled = true

  const server = createServer(async (req, res) => {
    requests++
    if (enabled) whileFailing++
    // Whether a request fails is random; the kinds take turns, so every run meets each of them.
    const kind = enabled && random.chance(options.rate) ? KINDS[Object.values(faults).reduce((a, b) => a + b, 0) % KINDS.length] : undefined
    const body = await bodyOf(req)
    if (kind) faults[kind]++
    if (kind === '500') return void res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"error":"chaos"}')
    if (kind === '429') return void res.writeHead(429, { 'Retry-After': '1' }).end()
    if (kind === 'stall') await new Promise((resolve) => setTimeout(resolve, options.stallMs ?? 3000))
    const upstream = await fetch(options.upstream + req.url, {
      method: req.method,
      headers: { 'Content-Type': 'application/json', ...(req.headers.authorization ? { Authorization: req.headers.authorization } : {}) },
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(body),
    })
    const answer = Buffer.from(await upstream.arrayBuffer())
    if (upstream.ok && req.url?.startsWith('/events/batch')) {
      for (const event of (JSON.parse(body.toString()) as { events: { event_id: string }[] }).events) {
        deliveries.set(event.event_id, (deliveries.get(event.event_id) ?? 0) + 1)
      }
    }
    // Stored, but the answer is lost: the client cannot know, and must send again.
    if (kind === 'reset') return void req.socket.destroy()
    res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' }).end(answer)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    faults,
    deliveries,
    requests: () => requests,
    /** Requests that arrived before {@link heal}: the ones a fault could hit. */
    requestsWhileFailing: () => whileFailing,
    /** Stops injecting faults (the drain at the end runs against a healthy collector). */
    heal: () => void (enabled = false),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
