import { uuid } from './uuid.js'

/**
 * sessionStorage lives as long as the tab and survives reloads: a "page
 * session" in the HTML spec's words. It throws in sandboxed frames and some
 * privacy modes, in which case the session lasts as long as the page.
 */
function sessionStore(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage
  } catch {
    return undefined
  }
}

/** The session id of this tab for `project`: kept across reloads, new per tab. */
export function pageSessionId(project: string): string {
  const store = sessionStore()
  const key = `pollen:session:${project}`
  try {
    const known = store?.getItem(key)
    if (known) return known
    const id = uuid()
    store?.setItem(key, id)
    return id
  } catch {
    return uuid()
  }
}

/** Remembers, for the page session, which sessions have been started. */
export function createSessionMarker(): { started(id: string): boolean; mark(id: string): void } {
  const store = sessionStore()
  const local = new Set<string>()
  const key = (id: string) => `pollen:started:${id}`
  return {
    started(id) {
      if (local.has(id)) return true
      try {
        return store?.getItem(key(id)) === '1'
      } catch {
        return false
      }
    },
    mark(id) {
      local.add(id)
      try {
        store?.setItem(key(id), '1')
      } catch {
        // Storage full or denied: the page-local set still prevents repeats.
      }
    },
  }
}
