import {
  createEvents,
  errorMessage,
  exportEvents,
  isRetryable,
  parseRetryAfter,
  PARTIAL_SUCCESS_STATUS,
  readPartialSuccess,
  requestHeaders,
  routeUrl,
  startSession,
  updateEvent,
  type HoneyHiveRequest,
} from '../honeyhive/index.js'
import type { Presence } from './project-guard.js'
import { redact } from './redact.js'

/** What became of an item upstream. */
export type ItemResult =
  | { status: 'accepted' }
  | { status: 'rejected'; code: string; message: string }
  /** `unclear`: the request went out and its answer was lost, so the upstream may have stored it. */
  | { status: 'transient'; upstreamStatus?: number; retryAfterMs?: number; unclear?: boolean }

export interface UpstreamOptions {
  base: string
  /** Sent as `Authorization: Bearer`; a local collector may need none. */
  apiKey?: string
  /** The project updates must stay in (for lookups). */
  project: string
  fetch: typeof fetch
  log(line: string): void
}

/** Events per `POST /events/batch`; bigger envelopes are sent in several. */
const BATCH = 100
/** Parallel requests for sessions and updates, which HoneyHive takes one by one. */
const PARALLEL = 4
/** Error codes (undici's `cause.code`) of a connection that was never made. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])

type Json = Record<string, unknown>
/** Wraps the sending of one item: `send` forwards it. */
type Around = (item: Json, send: () => Promise<ItemResult>) => Promise<ItemResult>

/**
 * Forwards validated items to HoneyHive's routes and reports each item's fate.
 * Every call ends by the request's deadline (ms since the epoch): what is not
 * answered by then is transient. Never throws; never puts the API key, or
 * anything shaped like a credential, in a result or a log line.
 */
export function createUpstream(options: UpstreamOptions) {
  const headers = requestHeaders(options.apiKey)
  const clean = (text: string) => redact(text, options.apiKey)

  const call = async (request: HoneyHiveRequest, deadline: number): Promise<{ response?: Response; json?: unknown; unclear?: boolean }> => {
    const { method, path, body } = request
    const budget = deadline - Date.now()
    if (budget <= 0) return {}
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), budget)
    try {
      const response = await options.fetch(routeUrl(options.base, request), { method, headers, body, signal: controller.signal })
      const text = await response.text()
      let json: unknown
      try {
        json = text ? JSON.parse(text) : undefined
      } catch {
        json = undefined
      }
      return { response, json }
    } catch (error) {
      options.log(`pollen proxy: ${method} ${path} failed: ${controller.signal.aborted ? `no answer within ${budget} ms` : clean(String((error as Error).message))}`)
      // Only a connection never made proves the upstream has nothing; a reset or
      // a timeout may come after it stored the items.
      return { unclear: !NOT_CONNECTED.has((error as { cause?: { code?: string } }).cause?.code!) }
    } finally {
      clearTimeout(timer)
    }
  }

  /** Maps a non-2xx answer that is not a partial success onto one result for all its items. */
  const failure = ({ method, path }: HoneyHiveRequest, { response, json, unclear }: Awaited<ReturnType<typeof call>>): ItemResult => {
    if (!response) return { status: 'transient', unclear }
    const status = response.status
    // 401/403 mean the proxy's own key is wrong: the items are fine, so keep them for later.
    if (isRetryable(status) || status === 401 || status === 403) {
      options.log(`pollen proxy: ${method} ${path} answered ${status}`)
      return { status: 'transient', upstreamStatus: status, retryAfterMs: parseRetryAfter(response.headers.get('Retry-After')) }
    }
    // HoneyHive's text may quote the request, headers and all: never pass it on as it is.
    const message = errorMessage(json)
    return { status: 'rejected', code: `upstream-${status}`, message: message === undefined ? `HoneyHive answered ${status}` : clean(message) }
  }

  const each = async <T>(items: T[], task: (item: T) => Promise<ItemResult>): Promise<ItemResult[]> => {
    const results: ItemResult[] = []
    for (let i = 0; i < items.length; i += PARALLEL) results.push(...(await Promise.all(items.slice(i, i + PARALLEL).map(task))))
    return results
  }

  /**
   * Sends one request per item, a few at a time; `ok` answers accept the item.
   * `around(item, send)` decides whether and when each is sent.
   */
  const singly = (items: Json[], requestOf: (body: string) => HoneyHiveRequest, deadline: number, around?: Around) =>
    each(items, (item) => {
      const send = async (): Promise<ItemResult> => {
        const request = requestOf(JSON.stringify(item))
        const answer = await call(request, deadline)
        return answer.response?.ok ? { status: 'accepted' } : failure(request, answer)
      }
      return around ? around(item, send) : send()
    })

  return {
    sessions: (sessions: Json[], deadline: number) => singly(sessions, startSession, deadline),

    async events(events: Json[], deadline: number): Promise<ItemResult[]> {
      const results: ItemResult[] = []
      for (let i = 0; i < events.length; i += BATCH) {
        const chunk = events.slice(i, i + BATCH)
        const request = createEvents(chunk.map((event) => JSON.stringify(event)))
        const answer = await call(request, deadline)
        const { response, json } = answer
        if (response?.ok) {
          results.push(...chunk.map((): ItemResult => ({ status: 'accepted' })))
          continue
        }
        const partial = response?.status === PARTIAL_SUCCESS_STATUS ? readPartialSuccess(json) : undefined
        if (partial) {
          // The listed ids exist, the rest did not make it.
          results.push(
            ...chunk.map((event): ItemResult =>
              partial.created.has(event.event_id) ? { status: 'accepted' } : { status: 'transient', upstreamStatus: PARTIAL_SUCCESS_STATUS },
            ),
          )
          if (partial.errors.length > 0) options.log(`pollen proxy: ${request.path} partial success: ${partial.errors.length} error(s)`)
          continue
        }
        const result = failure(request, answer)
        results.push(...chunk.map(() => result))
      }
      return results
    },

    updates: (updates: Json[], deadline: number, around?: Around) => singly(updates, updateEvent, deadline, around),

    /** Whether an event or session id exists in the project (`POST /events/export` by `event_id`). */
    async find(id: string, deadline: number): Promise<Presence> {
      const filters = [{ field: 'event_id', operator: 'is', value: id, type: 'id' } as const]
      const { response, json } = await call(exportEvents({ project: options.project, filters, projections: ['event_id'], limit: 1 }), deadline)
      if (!response?.ok) return 'unknown'
      const events = (json as { events?: unknown } | undefined)?.events
      if (!Array.isArray(events)) return 'unknown'
      return events.some((event) => (event as Json | null)?.event_id === id) ? 'found' : 'missing'
    },
  }
}
