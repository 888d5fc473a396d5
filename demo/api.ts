/** The demo server's own routes (demo/server/plugin.ts) and the collector's export, as the page calls them. */

/** What `GET /api/demo/status` says: where events go, which model answers, and the fault switch. */
export interface DemoStatus {
  upstream: 'collector' | 'honeyhive'
  llm: { provider: 'local' } | { provider: 'openai'; model: string }
  fault: Fault
}

/** The collector's fault switch: failing with 500s, or 429 with Retry-After, until `until` (epoch ms). */
export interface Fault {
  kind: 'none' | '500' | '429'
  until?: number
}

/** An event as the collector stores it (sessions are events of type `session`). */
export type StoredEvent = Record<string, unknown> & {
  event_id: string
  event_type: string
  event_name?: string
  parent_id?: string
  start_time?: number
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`.trim())
  return (await response.json()) as T
}

/**
 * The server's status, or undefined when it has no demo routes: the static
 * build served by `pollen-collector --static` (proxy and collector only).
 */
export async function fetchStatus(): Promise<DemoStatus | undefined> {
  const response = await fetch('/api/demo/status')
  return response.status === 404 ? undefined : json(response)
}

/** Makes the collector fail for `seconds`, or stops it failing with `'none'`. */
export async function setFault(kind: Fault['kind'], seconds = 20): Promise<DemoStatus> {
  const response = await fetch('/api/demo/fault', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind, seconds }),
  })
  return json(response)
}

/** The session's events as the collector stored them, through HoneyHive's export route. */
export async function exportSession(project: string, sessionId: string): Promise<StoredEvent[]> {
  const response = await fetch('/honeyhive/events/export', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      project,
      filters: [{ field: 'session_id', operator: 'is', value: sessionId, type: 'string' }],
    }),
  })
  return (await json<{ events: StoredEvent[] }>(response)).events
}
