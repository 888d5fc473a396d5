import { utf8Length } from '../check/index.js'
import type { Built } from './event.js'
import type { ResolvedOptions } from './options.js'
import { uuid } from './uuid.js'

/**
 * Reads (without `value`) or writes a sessionStorage entry. sessionStorage
 * lives as long as the tab and survives reloads: a "page session" in the HTML
 * spec's words. It is missing outside a page and throws in sandboxed frames
 * and some privacy modes; then reads find nothing, writes do nothing, and a
 * session lasts as long as the page.
 */
function pageSessionItem(key: string, value?: string): string | null | undefined {
  try {
    if (value === undefined) return sessionStorage.getItem(key)
    sessionStorage.setItem(key, value)
  } catch {
    return undefined
  }
}

/** The session id of this tab for `project`: kept across reloads, new per tab. */
export function pageSessionId(project: string): string {
  const key = `pollen:session:${project}`
  const known = pageSessionItem(key)
  if (known) return known
  const id = uuid()
  pageSessionItem(key, id)
  return id
}

/**
 * Queues a session's start (`enqueue`) before the first event of the session,
 * once per page session: a reload does not start it again.
 */
export function createSessionStarter(config: ResolvedOptions, enqueue: (kind: 'session', id: string, built: Built<unknown>) => string) {
  /** Sessions started by this page; sessionStorage, when it works, remembers them across reloads. */
  const started = new Set<string>()
  return (id: string): void => {
    const key = `pollen:started:${id}`
    if (started.has(id) || pageSessionItem(key) === '1') return
    const session = {
      project: config.project,
      session_name: config.sessionName,
      source: config.source,
      session_id: id,
      start_time: Date.now(),
      ...(config.userProperties ? { user_properties: config.userProperties } : {}),
    }
    // Not checked against the session contract: every field comes from the
    // checked options (which check what the contract does) or from the event's
    // checked session_id, so the check could only fail on a bug.
    const json = JSON.stringify(session)
    enqueue('session', id, { value: session, json, bytes: utf8Length(json) })
    started.add(id)
    pageSessionItem(key, '1')
  }
}
