/** A reverse proxy on real HTTP that fails on cue: statuses, stalls and reset connections. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Fault {
  status?: number
  headers?: Record<string, string>
  body?: string
  stallMs?: number
  reset?: boolean
  /** Forward the request, then reset the connection instead of answering: stored, answer lost. */
  resetAfterForward?: boolean
}

export async function startFlaky(target: string) {
  const faults: Fault[] = []
  let seen = 0
  /** `METHOD /path` of every request, in order. */
  const requests: string[] = []
  /** Event ids of every `POST /events/batch` forwarded to `target`, in order: what reached the upstream. */
  const forwardedEvents: string[] = []
  const server = createServer(async (req, res) => {
    seen++
    requests.push(`${req.method} ${req.url}`)
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const fault = faults.shift()
    if (fault?.stallMs) await new Promise((r) => setTimeout(r, fault.stallMs))
    if (fault?.reset) return req.socket.destroy()
    if (fault?.status) {
      res.writeHead(fault.status, { 'Content-Type': 'application/json', ...fault.headers })
      return res.end(fault.body ?? '{"message":"injected"}')
    }
    const headers: Record<string, string> = {}
    for (const name of ['authorization', 'content-type']) if (req.headers[name]) headers[name] = String(req.headers[name])
    const body = chunks.length ? Buffer.concat(chunks) : undefined
    if (req.method === 'POST' && req.url === '/events/batch' && body) {
      forwardedEvents.push(...(JSON.parse(body.toString()) as { events: { event_id: string }[] }).events.map((e) => e.event_id))
    }
    const upstream = await fetch(target + req.url, { method: req.method, headers, body })
    if (fault?.resetAfterForward) return req.socket.destroy()
    res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' })
    res.end(Buffer.from(await upstream.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    requests,
    forwardedEvents,
    seen: () => seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
