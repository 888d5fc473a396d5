import { invalidEvent } from '../errors.js'
import { checkShape, utf8Length } from '../check/index.js'
import type { Built } from './event.js'
import { uuid } from './uuid.js'

/**
 * sessionStorage lives as long as the tab and survives reloads: a "page
 * session" in the HTML spec's words. It throws in sandboxed frames and some
 * privacy modes, in which case the session lasts as long as the page.
 */
function pageSessionStorage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage
  } catch {
    return undefined
  }
}

/** The session id of this tab for `project`: kept across reloads, new per tab. */
export function pageSessionId(project: string): string {
  const storage = pageSessionStorage()
  const key = `pollen:session:${project}`
  try {
    const known = storage?.getItem(key)
    if (known) return known
    const id = uuid()
    storage?.setItem(key, id)
    return id
  } catch {
    return uuid()
  }
}

/** Remembers, for the page session, which sessions have been started. */
function createSessionMarker(): { started(id: string): boolean; mark(id: string): void } {
  const storage = pageSessionStorage()
  const local = new Set<string>()
  const key = (id: string) => `pollen:started:${id}`
  return {
    started(id) {
      if (local.has(id)) return true
      try {
        return storage?.getItem(key(id)) === '1'
      } catch {
        return false
      }
    },
    mark(id) {
      local.add(id)
      try {
        storage?.setItem(key(id), '1')
      } catch {
        // Storage full or denied: the page-local set still prevents repeats.
      }
    },
  }
}

/** What a session start takes from the client's options. */
export interface SessionDefaults {
  project: string
  sessionName: string
  source: string
  userProperties?: Record<string, unknown>
}

/**
 * Queues a session's start (`enqueue`) before the first event of the session,
 * once per page session: a reload does not start it again.
 */
export function createSessionStarter(config: SessionDefaults, enqueue: (kind: 'session', id: string, built: Built<unknown>) => string) {
  const sessions = createSessionMarker()
  return (id: string): void => {
    if (sessions.started(id)) return
    const session = {
      project: config.project,
      session_name: config.sessionName,
      source: config.source,
      session_id: id,
      start_time: Date.now(),
      ...(config.userProperties ? { user_properties: config.userProperties } : {}),
    }
    // The options were checked already: this only fails on a bug, and then loudly.
    const issues = checkShape('session', session)
    if (issues.length > 0) throw invalidEvent('session', issues)
    const json = JSON.stringify(session)
    enqueue('session', id, { value: session, json, bytes: utf8Length(json) })
    sessions.mark(id)
  }
}
