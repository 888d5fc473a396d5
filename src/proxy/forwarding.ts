import { byDeadline } from '../server/deadline.js'
import type { Presence } from './project-guard.js'
import type { RateLimit } from './rate-limit.js'
import type { ProxyState } from './state.js'
import type { ItemResult } from './upstream.js'

export interface ForwardingOptions {
  state: ProxyState
  /** How long a forwarded id, or an event's newest update, is remembered. */
  windowMs: number
  /** Asks the upstream whether an id exists, to settle an unclear forward. */
  find(id: string, deadline: number): Promise<Presence>
  log(line: string): void
}

/** The values of a creation's key: forwarded, or forwarded with the answer lost. Pending is `p<until>:<token>`. */
const DONE = 'd'
const UNCLEAR = 'u'
/** How often a request waiting for another's forward looks again. */
const POLL_MS = 50
/** Longest one state call may take before the request goes on without it. */
const STATE_MS = 500
/** After a state failure, calls are skipped (forwarding without memory) this long before it is tried again. */
const COOL_DOWN_MS = 1_000
/** What a client waiting for another request's forward is told to wait. */
const BUSY: ItemResult = { status: 'transient', retryAfterMs: 2_000 }
const ACCEPTED: ItemResult = { status: 'accepted' }
const LATE = Symbol('late')

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Where a creation stands for this request: forward it (`token` when it is claimed), answer it, or wait. */
type Decision = { go: true; token?: string } | { go: false; result: ItemResult } | 'busy'

/**
 * Forwards each creation once across every instance sharing `state`, and
 * keeps each event's updates in the order the client made them.
 *
 * A creation's id is claimed (pending) before it is forwarded. It becomes
 * done when the upstream confirms it, is released when the forward failed
 * (so the client's retry goes through), and is unclear when the answer was
 * lost after the body went out: the next attempt asks the upstream first. A
 * repeat of a done id is accepted without forwarding; a repeat of a pending
 * one waits for that forward, by the request's deadline.
 *
 * When the state fails or is slow, it forwards as if it remembered nothing
 * (a duplicate is possible, a loss is not) and logs one warning per outage.
 */
export function createForwarding(options: ForwardingOptions) {
  const { state, windowMs } = options
  let downUntil = 0

  /** A state call by a short deadline; `fallback` when it fails, or while the state is known to be down. */
  const safely = async <T>(call: () => Promise<T>, fallback: T): Promise<T> => {
    if (Date.now() < downUntil) return fallback
    try {
      const value = await byDeadline(Promise.resolve().then(call), Date.now() + STATE_MS, LATE)
      if (value === LATE) throw new Error(`no answer within ${STATE_MS} ms`)
      if (downUntil > 0) {
        downUntil = 0
        options.log('pollen proxy: the proxy state answers again; repeats are deduplicated again')
      }
      return value
    } catch (error) {
      if (downUntil === 0) options.log(`pollen proxy: the proxy state failed (${String((error as Error)?.message).slice(0, 200)}); forwarding without deduplication until it is back`)
      downUntil = Date.now() + COOL_DOWN_MS
      return fallback
    }
  }

  const decide = async (key: string, id: string, deadline: number): Promise<Decision> => {
    // A pending claim names when its forward ends at the latest; past that, its request is gone.
    const token = `p${deadline + STATE_MS}:${crypto.randomUUID()}`
    const claimed = await safely(() => state.swap(key, undefined, token, windowMs), undefined)
    if (claimed === undefined) return { go: true }
    if (claimed) return { go: true, token }
    const value = await safely(() => state.get(key), undefined)
    if (value === DONE) return { go: false, result: ACCEPTED }
    if (value === undefined || (value[0] === 'p' && Date.now() <= Number(value.slice(1, value.indexOf(':'))))) return 'busy'
    // Unclear, or pending past its end: the upstream may have it. Ask before forwarding again.
    const presence = await options.find(id, deadline)
    if (presence === 'found') {
      await safely(() => state.swap(key, value, DONE, windowMs), false)
      return { go: false, result: ACCEPTED }
    }
    if (presence === 'missing' && (await safely(() => state.swap(key, value, token, windowMs), false))) return { go: true, token }
    return presence === 'missing' ? 'busy' : { go: false, result: BUSY }
  }

  /** Records a forward's outcome under its claim. */
  const settle = (key: string, token: string | undefined, result: ItemResult) => {
    if (token === undefined) return
    const next = result.status === 'accepted' ? DONE : result.status === 'transient' && result.unclear ? UNCLEAR : undefined
    return safely(() => state.swap(key, token, next, windowMs), false)
  }

  return {
    /**
     * Forwards the creations (`kind` names their id space) not forwarded yet,
     * through `forward(indexes)`, and answers every one of `ids`.
     */
    async creations(kind: string, ids: string[], forward: (indexes: number[]) => Promise<ItemResult[]>, deadline: number): Promise<ItemResult[]> {
      const results: ItemResult[] = []
      let todo = ids.map((_, index) => index)
      while (todo.length > 0) {
        const decisions = await Promise.all(todo.map((index) => decide(`${kind}:${ids[index]}`, ids[index]!, deadline)))
        const go: number[] = []
        const tokens: (string | undefined)[] = []
        const busy: number[] = []
        todo.forEach((index, i) => {
          const decision = decisions[i]!
          if (decision === 'busy') busy.push(index)
          else if (!decision.go) results[index] = decision.result
          else {
            go.push(index)
            tokens.push(decision.token)
          }
        })
        if (go.length > 0) {
          const outcomes = await forward(go)
          await Promise.all(go.map((index, i) => ((results[index] = outcomes[i]!), settle(`${kind}:${ids[index]}`, tokens[i], outcomes[i]!))))
        }
        todo = busy
        if (todo.length > 0 && Date.now() + POLL_MS >= deadline) for (const index of todo.splice(0)) results[index] = BUSY
        else if (todo.length > 0) await sleep(POLL_MS)
      }
      return results
    },

    /**
     * Forwards an update of `eventId` unless a newer one (higher `seq`) was
     * forwarded already, one at a time per event, so that the newest lands
     * last. A stale one is answered accepted: it was overtaken, not lost.
     * Without `seq` (an older client), forwards it as it comes.
     */
    async update(eventId: string, seq: number | undefined, forward: () => Promise<ItemResult>, deadline: number): Promise<ItemResult> {
      if (seq === undefined) return forward()
      const lock = `lock:${eventId}`
      const order = `seq:${eventId}`
      const token = crypto.randomUUID()
      for (;;) {
        const held = await safely(() => state.swap(lock, undefined, token, Math.max(0, deadline - Date.now()) + STATE_MS), undefined)
        if (held === undefined) return forward()
        if (held) break
        if (Date.now() + POLL_MS >= deadline) return BUSY
        await sleep(POLL_MS)
      }
      try {
        const newest = await safely(() => state.get(order), undefined)
        if (newest !== undefined && seq <= Number(newest)) return ACCEPTED
        const result = await forward()
        if (result.status === 'accepted') await safely(() => state.swap(order, newest, String(seq), windowMs), false)
        return result
      } finally {
        await safely(() => state.swap(lock, token, undefined, 0), false)
      }
    },

    /** Takes a rate-limit token (see `ProxyState.take`); allows the request when the state fails. */
    take: (key: string, limit: RateLimit) => safely(() => state.take(key, limit), 0),

    /** Remembers an event a lookup found in the project as forwarded: a creation of it is a repeat. */
    found(id: string): void {
      void safely(() => state.swap(`event:${id}`, undefined, DONE, windowMs), false)
    },

    /**
     * Whether this proxy (or another instance on the same state) forwarded `id`
     * as an event or session. An unclear forward counts: if the event exists at
     * all, it is the project's, and a vote beaconed by a closing tab for it
     * must not wait for a lookup that tab never retries.
     */
    async forwarded(id: string): Promise<boolean> {
      const values = await Promise.all(['event', 'session'].map((kind) => safely(() => state.get(`${kind}:${id}`), undefined)))
      return values.some((value) => value === DONE || value === UNCLEAR)
    },
  }
}

export type Forwarding = ReturnType<typeof createForwarding>
