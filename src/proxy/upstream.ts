import { isRetryable, parseRetryAfter } from '../transport/retry.js'
import type { Presence } from './project-guard.js'
import { redact } from './redact.js'

/** What became of an item upstream. */
export type ItemResult =
  | { status: 'accepted' }
  | { status: 'rejected'; code: string; message: string }
  | { status: 'transient'; upstreamStatus?: number; retryAfterMs?: number }

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

type Json = Record<string, unknown>

/**
 * Forwards validated items to HoneyHive's routes and reports each item's fate.
 * Every call ends by the request's deadline (ms since the epoch): what is not
 * answered by then is transient. Never throws; never puts the API key, or
 * anything shaped like a credential, in a result or a log line.
 */
export function createUpstream(options: UpstreamOptions) {
  const base = options.base.replace(/\/+$/, '')
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (options.apiKey) headers.Authorization = `Bearer ${options.apiKey}`
  const clean = (text: string) => redact(text, options.apiKey)

  const call = async (method: 'POST' | 'PUT', path: string, body: unknown, deadline: number): Promise<{ response?: Response; json?: unknown }> => {
    const budget = deadline - Date.now()
    if (budget <= 0) return {}
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), budget)
    try {
      const response = await options.fetch(base + path, { method, headers, body: JSON.stringify(body), signal: controller.signal })
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
      return {}
    } finally {
      clearTimeout(timer)
    }
  }

  /** Maps a non-2xx answer that is not a partial success onto one result for all its items. */
  const failure = (method: string, path: string, response: Response | undefined, json: unknown): ItemResult => {
    if (!response) return { status: 'transient' }
    const status = response.status
    // 401/403 mean the proxy's own key is wrong: the items are fine, so keep them for later.
    if (isRetryable(status) || status === 401 || status === 403) {
      options.log(`pollen proxy: ${method} ${path} answered ${status}`)
      return { status: 'transient', upstreamStatus: status, retryAfterMs: parseRetryAfter(response.headers.get('Retry-After')) }
    }
    // HoneyHive's text may quote the request, headers and all: never pass it on as it is.
    const message = typeof (json as Json | undefined)?.message === 'string' ? clean(String((json as Json).message)) : `HoneyHive answered ${status}`
    return { status: 'rejected', code: `upstream-${status}`, message }
  }

  const each = async <T>(items: T[], task: (item: T) => Promise<ItemResult>): Promise<ItemResult[]> => {
    const results: ItemResult[] = []
    for (let i = 0; i < items.length; i += PARALLEL) results.push(...(await Promise.all(items.slice(i, i + PARALLEL).map(task))))
    return results
  }

  return {
    sessions: (sessions: Json[], deadline: number) =>
      each(sessions, async (session) => {
        const { response, json } = await call('POST', '/session/start', { session }, deadline)
        return response?.ok ? { status: 'accepted' } : failure('POST', '/session/start', response, json)
      }),

    async events(events: Json[], deadline: number): Promise<ItemResult[]> {
      const results: ItemResult[] = []
      for (let i = 0; i < events.length; i += BATCH) {
        const chunk = events.slice(i, i + BATCH)
        const { response, json } = await call('POST', '/events/batch', { events: chunk }, deadline)
        if (response?.ok) {
          results.push(...chunk.map((): ItemResult => ({ status: 'accepted' })))
          continue
        }
        const created = (json as { event_ids?: unknown } | undefined)?.event_ids
        if (response?.status === 500 && Array.isArray(created)) {
          // HoneyHive's partial success: the listed ids exist, the rest did not make it.
          const done = new Set(created)
          const errors = (json as { errors?: unknown[] }).errors ?? []
          results.push(
            ...chunk.map((event): ItemResult =>
              done.has(event.event_id) ? { status: 'accepted' } : { status: 'transient', upstreamStatus: 500 },
            ),
          )
          if (errors.length > 0) options.log(`pollen proxy: /events/batch partial success: ${errors.length} error(s)`)
          continue
        }
        const result = failure('POST', '/events/batch', response, json)
        results.push(...chunk.map(() => result))
      }
      return results
    },

    updates: (updates: Json[], deadline: number) =>
      each(updates, async (update) => {
        const { response, json } = await call('PUT', '/events', update, deadline)
        return response?.ok ? { status: 'accepted' } : failure('PUT', '/events', response, json)
      }),

    /** Whether an event or session id exists in the project (`POST /events/export` by `event_id`). */
    async find(id: string, deadline: number): Promise<Presence> {
      const filters = [{ field: 'event_id', operator: 'is', value: id, type: 'id' }]
      const { response, json } = await call('POST', '/events/export', { project: options.project, filters, projections: ['event_id'], limit: 1 }, deadline)
      if (!response?.ok) return 'unknown'
      const events = (json as { events?: unknown } | undefined)?.events
      if (!Array.isArray(events)) return 'unknown'
      return events.some((event) => (event as Json | null)?.event_id === id) ? 'found' : 'missing'
    },
  }
}
