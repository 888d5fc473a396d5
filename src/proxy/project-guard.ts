import { createRateLimiter } from './rate-limit.js'

/** What the upstream said of an id: in the proxy's project, not there, or no clear answer. */
export type Presence = 'found' | 'missing' | 'unknown'

/** The verdict on an update's target. */
export type Ownership = 'ours' | 'wait' | 'foreign'

export interface ProjectGuardOptions {
  /** Asks the upstream whether an event or session id exists in the proxy's project. */
  lookup(id: string, deadline: number): Promise<Presence>
  /** Whether the proxy forwarded `id` itself (or another instance on the same state did). */
  known(id: string): Promise<boolean>
  /** Remembers an id a lookup found in the project. */
  found(id: string): void
  /** How long an id may stay unseen (HoneyHive still indexing it) before its updates are refused. */
  graceMs: number
  now?: () => number
}

/** Ids seen missing, with when they were first missed. */
const MAX_MISSES = 10_000
/** A miss is not asked again sooner than this: a burst of votes makes one lookup. */
const MISS_TTL_MS = 5_000
/** Lookups one client may cause, so the proxy cannot be used to flood the upstream. */
const LOOKUPS = { requests: 60, perMs: 60_000 }

/**
 * Keeps updates inside the proxy's project. Ids the proxy forwarded (as its
 * state remembers them) are known; others are looked up upstream (`POST /events/export` in the project),
 * and the answer is cached. An id that is not found yet is `wait` (the client
 * retries: HoneyHive may not have indexed a new event) and only `foreign` once
 * it stayed unseen for `graceMs`, so that a real user's vote is never dropped
 * by this check.
 */
export function createProjectGuard(options: ProjectGuardOptions) {
  const now = options.now ?? Date.now
  const misses = new Map<string, { first: number; checked: number }>()
  const asking = new Map<string, Promise<Presence>>()
  const lookups = createRateLimiter(LOOKUPS, now)

  const missed = (id: string, time: number): Ownership => {
    const miss = misses.get(id) ?? { first: time, checked: time }
    miss.checked = time
    misses.delete(id)
    misses.set(id, miss)
    if (misses.size > MAX_MISSES) misses.delete(misses.keys().next().value!)
    return time - miss.first >= options.graceMs ? 'foreign' : 'wait'
  }

  const ask = (id: string, deadline: number) => {
    let pending = asking.get(id)
    if (!pending) {
      pending = options.lookup(id, deadline).finally(() => asking.delete(id))
      asking.set(id, pending)
    }
    return pending
  }

  return {
    /** Decides whether updates of `id`, sent by `client`, may be forwarded; asks by `deadline` at the latest. */
    async check(id: string, client: string, deadline: number): Promise<Ownership> {
      if (await options.known(id)) return 'ours'
      const miss = misses.get(id)
      const time = now()
      if (miss && time - miss.checked < MISS_TTL_MS) return time - miss.first >= options.graceMs ? 'foreign' : 'wait'
      if (!asking.has(id) && lookups.take(client) > 0) return 'wait'
      const presence = await ask(id, deadline)
      if (presence === 'found') {
        misses.delete(id)
        options.found(id)
        return 'ours'
      }
      return presence === 'missing' ? missed(id, now()) : 'wait'
    },
  }
}

export type ProjectGuard = ReturnType<typeof createProjectGuard>
