import { vi } from 'vitest'

/** One request as the fake saw it. */
export interface SeenRequest {
  url: string
  method: string
  headers: Record<string, string>
  body: string
  json: any
}

type Answer = Response | ((request: SeenRequest) => Response | Promise<Response>) | 'network-error'

/**
 * A scripted stand-in for `fetch`. Answers queued with `next()` are used in
 * order; after them it behaves like a healthy Pollen proxy (or HoneyHive for
 * direct routes), accepting everything it is sent.
 */
export function createFakeFetch() {
  const requests: SeenRequest[] = []
  const script: Answer[] = []
  const fake = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]))
    const body = await bodyText(init.body)
    let json: any
    try {
      json = JSON.parse(body)
    } catch {
      json = undefined
    }
    const request: SeenRequest = { url: String(input), method: init.method ?? 'GET', headers, body, json }
    requests.push(request)
    const answer = script.shift()
    if (answer === 'network-error') throw new TypeError('Failed to fetch')
    if (typeof answer === 'function') return answer(request)
    if (answer) return answer
    return healthy(request)
  })
  return {
    fetch: fake as unknown as typeof fetch,
    requests,
    /** Queues answers for the next requests. */
    next(...answers: Answer[]) {
      script.push(...answers)
    },
    /** All events seen so far, across envelopes and batches. */
    events(): any[] {
      return requests.flatMap((r) => r.json?.events ?? [])
    },
    updates(): any[] {
      return requests.flatMap((r) => r.json?.updates ?? (r.method === 'PUT' ? [r.json] : []))
    },
    sessions(): any[] {
      return requests.flatMap((r) => r.json?.sessions ?? (r.json?.session ? [r.json.session] : []))
    },
  }
}

/** A request body as text: a string as it is; bytes or a Blob decoded as UTF-8, gunzipped first when gzip. */
async function bodyText(body: RequestInit['body']): Promise<string> {
  if (typeof body === 'string') return body
  if (!body) return ''
  let bytes = new Uint8Array(await new Response(body).arrayBuffer())
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = new Uint8Array(await new Response(new Response(bytes).body!.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer())
  return new TextDecoder().decode(bytes)
}

/** What a healthy server answers. */
export function healthy(request: SeenRequest): Response {
  if (request.url.endsWith('/events/batch')) {
    return Response.json({ event_ids: request.json.events.map((e: any) => e.event_id), session_id: 'x', success: true })
  }
  if (request.url.endsWith('/session/start')) return Response.json({ session_id: request.json.session.session_id })
  if (request.method === 'PUT') return new Response(null, { status: 200 })
  const ids = [
    ...(request.json?.sessions ?? []).map((s: any) => s.session_id),
    ...(request.json?.events ?? []).map((e: any) => e.event_id),
    ...(request.json?.updates ?? []).map((u: any) => u.event_id),
  ]
  return Response.json({ accepted: ids, rejected: [] })
}

export function status(code: number, headers: Record<string, string> = {}, body = ''): Response {
  return new Response(body || null, { status: code, headers })
}
