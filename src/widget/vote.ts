import type { Delivery } from '../client/index.js'
import type { FeedbackClient, FeedbackProps } from './props.js'

/** A user's vote on one event, as sent in `feedback`. */
export type Vote = {
  /** true: thumbs up; false: thumbs down. */
  rating: boolean
  /** The user's words, trimmed; absent when empty. */
  comment?: string
  /** Ids of the chosen categories; absent when none. */
  categories?: string[]
}

/**
 * Where the vote stands. `idle`: none; `chosen`: picked, not yet handed to the
 * client (settling, or waiting for a Promise id); `queued`: handed over, not
 * confirmed; `saved`: the server took it; `failed`: refused or dropped.
 */
export type FeedbackStatus = 'idle' | 'chosen' | 'queued' | 'saved' | 'failed'

/** What the view shows: the vote, its status, and why it waits or failed. */
export interface VoteState {
  vote: Vote | null
  status: FeedbackStatus
  waiting?: Delivery['waiting']
  reason?: string
}

/** Kept in `client.records` under `vote:<eventId>`: the last vote handed to the client, and how it fared. */
export interface VoteRecord {
  vote: Vote | null
  ref?: string
  status: 'queued' | 'saved' | 'failed'
  reason?: string
}

/** One event's vote: what the user chose, what the client was given, and what became of it. */
export interface VoteController {
  /** Where the vote stands now. */
  readonly state: VoteState
  /** Calls `listener` after each change of `state`; returns the function that stops it. */
  subscribe(listener: () => void): () => void
  /** The user's new vote (null takes it back); sent once no other choice follows for `settleMs`. The current vote again changes nothing. */
  choose(vote: Vote | null): void
  /** Stops following deliveries; a vote still settling is sent now rather than lost. */
  dispose(): void
}

type Options = Pick<FeedbackProps, 'userProperties' | 'onChange' | 'settleMs'>

const same = (a: Vote | null, b: Vote | null) => JSON.stringify(a) === JSON.stringify(b)
const message = (error: unknown) => (error instanceof Error ? error.message : String(error))
const statusOf = { queued: 'queued', sent: 'saved', dropped: 'failed' } as const

/**
 * Creates the controller for one event. The record under `vote:<eventId>` is
 * the one truth per browser: it is read first (restoring the vote, and
 * following a still-queued send), and rewritten at each send and status change.
 * `options` is read at each use, so it can return the latest props.
 */
export function createVote(client: FeedbackClient, eventId: string | Promise<string>, options: () => Options): VoteController {
  let state: VoteState = { vote: null, status: 'idle' }
  const listeners = new Set<() => void>()
  const show = (next: VoteState) => {
    state = next
    listeners.forEach((listener) => listener())
  }
  let id: string | undefined
  let lost: string | undefined // why the Promise id never came
  let last: VoteRecord | undefined
  let waiting: Delivery['waiting']
  let timer: ReturnType<typeof setTimeout> | undefined
  let due = false // settled while the id was unknown
  let touched = false
  let closed = false
  let untrack = () => {}

  const stop = () => {
    untrack()
    untrack = () => {}
  }
  const save = (record: VoteRecord) => {
    last = record
    void client.records.set(`vote:${id}`, record)
  }
  // A choice still settling outranks news about an earlier send.
  const showLast = () => {
    if (timer === undefined && !due) show({ vote: state.vote, status: last?.status ?? 'idle', reason: last?.reason, waiting })
  }
  const follow = (ref: string) => {
    stop()
    if (closed) return
    untrack = client.track(ref, (delivery) => {
      if (last?.ref !== ref) return
      const status = statusOf[delivery.state]
      waiting = delivery.waiting
      if (status !== last.status || delivery.reason !== last.reason) save({ ...last, status, reason: delivery.reason })
      showLast()
    })
  }

  const settle = () => {
    clearTimeout(timer)
    timer = undefined
    if (id === undefined) {
      due = !lost
      if (lost) show({ ...state, status: 'failed', reason: lost })
      return
    }
    due = false
    const vote = state.vote
    // Nothing recorded means nothing on the server; a failed send proves nothing, so resend.
    const base = last ? (last.status === 'failed' ? undefined : last.vote) : null
    if (base === undefined || !same(vote, base)) {
      stop()
      waiting = undefined
      try {
        const ref = client.feedback(id, { rating: null, ...vote }, options().userProperties)
        save({ vote, ref, status: 'queued' })
        follow(ref)
      } catch (error) {
        save({ vote, status: 'failed', reason: message(error) })
      }
    }
    showLast()
  }

  // Capture on window runs before the client's own listener on document, so the
  // vote is queued before the client beacons what it has on the way out.
  const onHide = () => document.visibilityState === 'hidden' && timer !== undefined && settle()
  addEventListener('visibilitychange', onHide, true)

  Promise.resolve(eventId).then(
    async (value) => {
      const record = await client.records.get<VoteRecord>(`vote:${value}`)
      id = value
      if (record) {
        last = record
        if (!touched) show({ vote: record.vote, status: record.status, reason: record.reason })
        if (record.status === 'queued' && record.ref) follow(record.ref)
      }
      if (due) settle()
    },
    (error) => {
      lost = message(error)
      if (due) settle()
    },
  )

  return {
    get state() {
      return state
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    choose(vote) {
      if (same(vote, state.vote)) return
      touched = true
      clearTimeout(timer)
      timer = setTimeout(settle, options().settleMs ?? 600)
      show({ vote, status: 'chosen' })
      options().onChange?.(vote)
    },
    dispose() {
      closed = true
      removeEventListener('visibilitychange', onHide, true)
      if (timer !== undefined) settle()
      stop()
    },
  }
}
