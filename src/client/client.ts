import { PollenError } from '../errors.js'
import { createKeyMaker, createQueue } from '../queue/index.js'
import type { HoneyHiveEvent, ItemKind, UpdateFields } from '../schema/index.js'
import { buildEvent, buildUpdate, checkReturned, fillEvent, type Built } from './event.js'
import { resolveOptions, type ClientOptions } from './options.js'
import { listenToPage } from './page-events.js'
import type { PollenClient } from './pollen-client.js'
import { createRecords } from './records.js'
import { createSender } from './sender.js'
import { createSessionStarter } from './session.js'
import { startSpan } from './span.js'
import { createLiveStats } from './stats.js'
import { createTracker } from './tracker.js'
import { uuid } from './uuid.js'

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
  const tab = tabId()
  const nextKey = createKeyMaker(tab)
  const name = `${config.target.mode}|${config.target.endpoint}|${config.project}`
  let closed = false

  const report = (error: PollenError) => {
    try {
      config.onError?.(error)
    } catch {
      // onError is the page's code; its failure must not break the background path.
    }
  }

  const stats = createLiveStats({ pending: 0, sent: 0, retrying: 0, dropped: 0, drops: {}, storage: config.storage })
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
  const tracker = createTracker(queue, (key) => sender.retrying(key))
  const sender = createSender(config, `pollen:${name}`, queue, stats, tracker, report)

  /** Queues an item; returns its key (an update's ref). */
  const enqueue = (kind: ItemKind, id: string, built: Built<unknown>): string => {
    const key = nextKey()
    queue.add({ key, kind, id, json: built.json, bytes: built.bytes })
    return key
  }

  const ensureOpen = () => {
    if (closed) throw new PollenError('client-closed', 'This Pollen client was closed; create a new one with createClient()')
  }

  /** Queues the session start before the first event of a session. */
  const ensureSession = createSessionStarter(config, enqueue)

  let enabled = config.enabled

  const accept = (event: HoneyHiveEvent): string => {
    if (!enabled) {
      // Checked as when enabled, so that a bug shows before consent too; then forgotten.
      buildEvent(event, config.maxEventBytes)
      stats.drop('disabled', 1)
      return event.event_id!
    }
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
    const built = buildUpdate(eventId, fields, config.maxEventBytes)
    if (!enabled) {
      const ref = nextKey()
      stats.drop('disabled', 1)
      tracker.ended([[ref, 'disabled: the client was disabled']], true)
      return ref
    }
    const ref = enqueue('update', eventId, built)
    sender.added()
    return ref
  }

  /** Never `this`-bound: pages pass the client's methods around (`onLogout(hh.purge)`). */
  const purge = async () => {
    ensureOpen()
    await sender.purge()
  }

  const stopListening = listenToPage({
    hidden: sender.unload,
    shown: () => sender.flushWhenDue('shown'),
    online() {
      sender.flushWhenDue('online')
      tracker.changed()
    },
    offline: tracker.changed,
  })
  // Items left by an earlier visit or a closed tab go out without waiting for a new event.
  // One item is enough to know: counting would read every stored segment at each page load.
  void queue.read(1).then((items) => items.length > 0 && sender.flushWhenDue('start'), () => undefined)

  return {
    sessionId: config.sessionId,
    log(input) {
      ensureOpen()
      return accept(fillEvent(input, config))
    },
    start(input) {
      ensureOpen()
      return startSpan(input, config, accept, ensureOpen)
    },
    feedback(eventId, feedback, userProperties) {
      const merged = config.userProperties || userProperties ? { ...config.userProperties, ...userProperties } : undefined
      return update(eventId, { feedback, ...(merged ? { user_properties: merged } : {}) })
    },
    update,
    track: tracker.track,
    records: createRecords(queue, () => enabled),
    flush() {
      return queue.settled().then(sender.flush, () => undefined)
    },
    async close() {
      if (closed) return
      closed = true
      stopListening()
      await sender.flush()
      sender.stop()
      await queue.close().catch(() => undefined)
    },
    stats: stats.get,
    subscribe: stats.subscribe,
    get enabled() {
      return enabled
    },
    enable() {
      ensureOpen()
      if (enabled) return
      enabled = true
      sender.enable(true)
    },
    async disable(options) {
      enabled = false
      sender.enable(false)
      if (options?.purge) await purge()
    },
    purge,
  }
}
