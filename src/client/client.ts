import { PollenError } from '../errors.js'
import { createKeyMaker, createQueue, type QueueItem } from '../queue/index.js'
import { sessionSchema, utf8Length, type HoneyHiveEvent, type ItemKind, type UpdateFields } from '../schema/index.js'
import { buildEvent, buildUpdate, checkReturned, fillEvent, type Built, type LogInput } from './event.js'
import { resolveOptions, type ClientOptions } from './options.js'
import { createSender } from './sender.js'
import { createSessionMarker, pageSessionId } from './session.js'
import type { ClientRecords, Delivery } from './delivery.js'
import type { Span, SpanEnd } from './span.js'
import { createStatsStore, type ClientStats } from './stats.js'
import { createTracker } from './tracker.js'
import { uuid } from './uuid.js'

/** The client returned by {@link createClient}. */
export interface PollenClient {
  /** The session this client's events belong to. */
  readonly sessionId: string
  /**
   * Validates and queues an event; returns its `event_id` at once. Throws
   * `PollenError('invalid-event')` naming each bad path; then nothing is queued.
   */
  log(event: LogInput): string
  /** Starts a timed event; it is logged by `span.end()`. Validates now, throws like `log()`. */
  start(event: LogInput): Span
  /**
   * Attaches end-user feedback (`rating`, `comment`, …) to an event, with the
   * user's properties (merged over the client's `userProperties`). Returns the
   * queued update's ref, for {@link PollenClient.track}.
   */
  feedback(eventId: string, feedback: Record<string, unknown>, userProperties?: Record<string, unknown>): string
  /**
   * Updates any field HoneyHive lets you update: metadata, feedback, metrics,
   * outputs, config, user_properties, duration. Returns the queued update's ref.
   */
  update(eventId: string, fields: UpdateFields): string
  /**
   * Follows one update to the server: calls `listener` soon with where the
   * item stands, then at each change (queued → sent or dropped). Works for
   * refs from an earlier page of the origin too (a vote restored after a
   * reload). Returns the function that stops listening.
   */
  track(ref: string, listener: (delivery: Delivery) => void): () => void
  /** Small durable values beside the queue; the feedback widget keeps its votes here. */
  readonly records: ClientRecords
  /** Sends what is pending now; resolves when done or when the server asked to wait. Never rejects. */
  flush(): Promise<void>
  /** Flushes, then stops timers and listeners. Later calls to `log()` throw `client-closed`. */
  close(): Promise<void>
  /** What the client has done so far. */
  stats(): ClientStats
  /** Calls `listener` now and after every change of the stats; returns the unsubscribe function. */
  subscribe(listener: (stats: ClientStats) => void): () => void
}

/** A short random id for this page instance (lease owner, key prefix). */
const tabId = () => uuid().slice(0, 8)

/**
 * Creates a Pollen client. Nothing happens at import: the client opens its
 * queue and listens to page lifecycle events from here on.
 *
 * @example
 * const hh = createClient({ project: 'Simple RAG', endpoint: '/api/pollen' })
 * const id = hh.log({ event_name: 'Model Completion', event_type: 'model', outputs: { content } })
 * hh.feedback(id, { rating: true })
 */
export function createClient(options: ClientOptions): PollenClient {
  const config = resolveOptions(options)
  const sessionId = config.sessionId ?? pageSessionId(config.project)
  const tab = tabId()
  const nextKey = createKeyMaker(tab)
  const name = `${config.mode}|${config.endpoint}|${config.project}`
  const sessions = createSessionMarker()
  let closed = false

  const report = (error: PollenError) => {
    try {
      config.onError?.(error)
    } catch {
      // onError is the page's code; its failure must not break the background path.
    }
  }

  const stats = createStatsStore({ pending: 0, sent: 0, retrying: 0, dropped: 0, drops: {}, storage: config.storage })
  const queue = createQueue({
    name,
    owner: tab,
    storage: config.storage,
    maxQueueBytes: config.maxQueueBytes,
    onStorageFault(error) {
      stats.set({ storage: 'memory' })
      report(error)
    },
    onEvicted(items) {
      sender.forget(items.map((item) => item.key))
      stats.drop('queue-full', items.length)
      report(new PollenError('queue-full', `Evicted ${items.length} oldest event(s) to stay under maxQueueBytes (${config.maxQueueBytes})`))
    },
  })
  const sender = createSender({
    target: config.mode === 'proxy' ? { mode: 'proxy', endpoint: config.endpoint } : { mode: 'direct', endpoint: config.endpoint, apiKey: config.apiKey! },
    queue,
    stats,
    batchSize: config.batchSize,
    flushInterval: config.flushInterval,
    report,
    channelName: `pollen:${name}`,
    ended: (ends) => tracker.ended(ends),
    changed: () => tracker.changed(),
  })
  const tracker = createTracker(queue, sender.retrying)

  /** Queues an item; returns its key (an update's ref). */
  const enqueue = (kind: ItemKind, id: string, built: Built<unknown>): string => {
    const item: QueueItem = { key: nextKey(), kind, id, json: built.json, bytes: built.bytes }
    queue.add(item)
    return item.key
  }

  const ensureOpen = () => {
    if (closed) throw new PollenError('client-closed', 'This Pollen client was closed; create a new one with createClient()')
  }

  /** Queues the session start before the first event of a session. */
  const ensureSession = (id: string) => {
    if (sessions.started(id)) return
    const session = {
      project: config.project,
      session_name: config.sessionName,
      source: config.source,
      session_id: id,
      start_time: Date.now(),
      ...(config.userProperties ? { user_properties: config.userProperties } : {}),
    }
    const json = JSON.stringify(sessionSchema.parse(session))
    enqueue('session', id, { value: session, json, bytes: utf8Length(json) })
    sessions.mark(id)
  }

  const context = {
    project: config.project,
    source: config.source,
    sessionId,
    userProperties: config.userProperties,
    maxEventBytes: config.maxEventBytes,
  }

  const accept = (event: HoneyHiveEvent): string => {
    let final: HoneyHiveEvent | null = event
    if (config.beforeSend) {
      try {
        final = config.beforeSend(event)
      } catch (error) {
        stats.drop('before-send', 1)
        report(new PollenError('before-send', `beforeSend threw for event ${event.event_id}: ${String(error)}; the event was dropped`))
        return event.event_id!
      }
      if (final === null || final === undefined) {
        stats.drop('before-send', 1)
        return event.event_id!
      }
      checkReturned(final)
    }
    const built = buildEvent(final, config.maxEventBytes)
    ensureSession(built.value.session_id!)
    enqueue('event', built.value.event_id!, built)
    sender.added()
    return event.event_id!
  }

  const update = (eventId: string, fields: UpdateFields): string => {
    ensureOpen()
    const ref = enqueue('update', eventId, buildUpdate(eventId, fields, config.maxEventBytes))
    sender.added()
    return ref
  }

  /** Records live in the queue's meta store, beside the queue's own state; a storage fault answers undefined. */
  const records: ClientRecords = {
    get: <T>(key: string) => queue.getMeta<T>(`record:${key}`).catch(() => undefined),
    set: (key, value) => queue.setMeta(`record:${key}`, value).catch(() => undefined),
  }

  const onVisibility = () => {
    if (document.visibilityState === 'hidden') sender.unload()
    else sender.wake('shown')
  }
  const onPageHide = () => sender.unload()
  const onPageShow = () => sender.wake('shown')
  const onOnline = () => {
    sender.wake('online')
    tracker.changed()
  }
  const onOffline = () => tracker.changed()
  // No unload/beforeunload: they keep pages out of the back/forward cache.
  // pagehide and visibilitychange fire where unload would, and more reliably on mobile.
  const listening = typeof window !== 'undefined' && typeof document !== 'undefined'
  if (listening) {
    document.addEventListener('visibilitychange', onVisibility)
    window.addEventListener('pagehide', onPageHide)
    window.addEventListener('pageshow', onPageShow)
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', onOffline)
  }
  // Items left by an earlier visit or a closed tab go out without waiting for a new event.
  // One item is enough to know: count() would read every stored segment at each page load.
  void queue.read(1).then((items) => items.length > 0 && sender.wake('start'), () => undefined)

  return {
    sessionId,
    log(input) {
      ensureOpen()
      return accept(fillEvent(input, context))
    },
    start(input) {
      ensureOpen()
      const startTime = Date.now()
      const t0 = performance.now()
      const first = fillEvent(input, context, startTime)
      buildEvent(first, config.maxEventBytes) // validate now, so mistakes surface at start()
      let ended = false
      return {
        id: first.event_id!,
        end(fields?: SpanEnd) {
          ensureOpen()
          if (ended) throw new PollenError('invalid-event', `Span ${first.event_id} already ended`)
          const duration = performance.now() - t0
          const event = fillEvent({
            ...input,
            ...fields,
            event_id: first.event_id,
            start_time: startTime,
            end_time: startTime + Math.round(duration),
            duration,
          }, context)
          ended = true
          return accept(event)
        },
      }
    },
    feedback(eventId, feedback, userProperties) {
      const merged = config.userProperties || userProperties ? { ...config.userProperties, ...userProperties } : undefined
      return update(eventId, { feedback, ...(merged ? { user_properties: merged } : {}) })
    },
    update,
    track: (ref, listener) => tracker.track(ref, listener),
    records,
    flush() {
      return queue.settled().then(sender.kick, () => undefined)
    },
    async close() {
      if (closed) return
      closed = true
      if (listening) {
        document.removeEventListener('visibilitychange', onVisibility)
        window.removeEventListener('pagehide', onPageHide)
        window.removeEventListener('pageshow', onPageShow)
        window.removeEventListener('online', onOnline)
        window.removeEventListener('offline', onOffline)
      }
      await sender.kick()
      sender.stop()
      await queue.close().catch(() => undefined)
    },
    stats: () => stats.get(),
    subscribe: (listener) => stats.subscribe(listener),
  }
}
