/** A reverse proxy on real HTTP that fails on cue: statuses, stalls and reset connections. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Fault {
  status?: number
  headers?: Record<string, string>
  body?: string
  stallMs?: number
  reset?: boolean
}

export async function startFlaky(target: string) {
  const faults: Fault[] = []
  let seen = 0
  /** `METHOD /path` of every request, in order. */
  const requests: string[] = []
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
    const upstream = await fetch(target + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined })
    res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' })
    res.end(Buffer.from(await upstream.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    requests,
    seen: () => seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
