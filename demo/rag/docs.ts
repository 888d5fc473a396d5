/**
 * The Simple RAG assistant's whole library: short pages about Pollen itself,
 * written from the README. Sentences end with a period and a space, so the
 * answer generator can pick them apart; backticks mark code.
 */
export interface Passage {
  id: string
  title: string
  text: string
}

export const docs: Passage[] = [
  {
    id: 'queue',
    title: 'The durable queue',
    text:
      'Every event that `log()` accepts is validated with zod, and `log()` returns its `event_id` at once. ' +
      'The event is written to IndexedDB before it is sent and deleted only once the server confirmed it, so a crash, a reload or a closed tab loses nothing. ' +
      'The queue is shared by all tabs of the origin and capped by `maxQueueBytes` (5 MiB): past it the oldest events are evicted, never feedback or updates. ' +
      'When IndexedDB is missing or blocked, the queue continues in memory and `onError` hears `storage-unavailable` once.',
  },
  {
    id: 'batching',
    title: 'Batching and flushing',
    text:
      'Pollen sends items in batches of `batchSize` (50 by default), and an item waits at most `flushInterval` (2000 ms) before a send. ' +
      'A send also starts as soon as 50 items wait, on `flush()`, and when the browser comes back online. ' +
      'A backlog after an outage goes out in requests of up to 512 KiB, four at a time. ' +
      'Only one tab of the origin sends at a time, chosen with Web Locks or a lease in IndexedDB, so several open tabs do not send the same items side by side.',
  },
  {
    id: 'beacon',
    title: 'When the tab closes',
    text:
      'When the tab closes or the page is hidden, Pollen hands the pending events to `sendBeacon` in proxy mode, or to `fetch` with `keepalive` in direct mode. ' +
      'Browsers allow about 64 KiB in flight for the page, so the beacon takes at most that much and the rest waits in IndexedDB for the next visit. ' +
      'Pollen listens to `pagehide` and `visibilitychange`, never to `unload` or `beforeunload`, which would keep pages out of the back/forward cache. ' +
      'Items stay stored until a normal send confirms them, so a beaconed item may be sent again later; the collector stores each `event_id` once.',
  },
  {
    id: 'retries',
    title: 'Retries and backoff',
    text:
      'A send that fails with a network error, a timeout, 408, 429 or a 5xx is retried with full jitter backoff, from 1 second up to 5 minutes. ' +
      'A `Retry-After` header from the server is honoured, and `stats().retryAt` tells when the next attempt is due. ' +
      'A 413 answer splits the batch; any other 4xx drops the items for good, counts them in `stats().drops` and reports `rejected` to `onError`. ' +
      'While the browser is offline (`navigator.onLine` is false) the client waits for the `online` event instead of spending retries, and events keep queueing in IndexedDB.',
  },
  {
    id: 'spans',
    title: 'Events and spans',
    text:
      'Events are HoneyHive objects in snake_case: `event_name`, `event_type` (model, tool or chain), `config`, `inputs`, `outputs`, `metadata` and `parent_id`. ' +
      'Call `hh.start()` for a timed event: `span.id` is known at once, so children can use it as their `parent_id`, and `span.end()` logs it with a `duration` from `performance.now()`. ' +
      'In this demo a chat turn is a chain span with a retrieval tool span and a model span under it, and the chain hangs under the session. ' +
      'A wrong event makes `log()` throw a `PollenError` with code `invalid-event` that names each bad path, and nothing is queued.',
  },
  {
    id: 'widget',
    title: 'The feedback widget',
    text:
      'The `pollen/widget` entry shows thumbs up and down under an answer, as the Preact component `Feedback`, as `mountFeedback()`, or as the `<pollen-feedback>` custom element. ' +
      'Thumbs down offers your categories as chips and a comment box, and the rating lands on the answer event as `feedback` with the user properties. ' +
      'The status line follows the vote to the server and says when it will send once online, when it will retry, and when it was saved. ' +
      'Votes are kept in `client.records`, so the widget shows them again after a reload; it renders in a shadow root and is themed with `--pollen-*` custom properties.',
  },
  {
    id: 'proxy',
    title: 'The proxy',
    text:
      'A HoneyHive API key must not ship to browsers, and `sendBeacon` cannot send an Authorization header anyway, so the browser posts to a route on your own server. ' +
      'The `pollen/proxy` handler on your server keeps the key there, validates every item with the same schemas as the client, forces your project and forwards to HoneyHive. ' +
      'It answers per item with accepted and rejected lists, rate-limits each client, and turns upstream failures into 503 or 429 with `Retry-After`. ' +
      'The envelope is `text/plain` JSON, which needs no CORS preflight, so a beacon can carry it.',
  },
  {
    id: 'collector',
    title: 'The local collector',
    text:
      '`pollen-collector` serves HoneyHive\'s Events API on your machine, backed by SQLite, so you can develop without an account. ' +
      'It accepts sessions, event batches and updates, merges feedback into the stored event field by field, and stores each `event_id` once. ' +
      'Its `POST /events/export` route takes HoneyHive\'s filters, which is how this demo\'s inspector reads the session back. ' +
      'It needs `better-sqlite3` version 12 and keeps every committed event on disk when it stops.',
  },
  {
    id: 'stats',
    title: 'Stats and sessions',
    text:
      '`hh.stats()` returns `pending`, `sent`, `retrying`, `dropped`, the drops by reason, the storage in use and `retryAt`, and `hh.subscribe()` calls you on every change. ' +
      'Each page session gets a session id kept in `sessionStorage`, so a reload keeps the session and a new tab starts a new one. ' +
      'The `userProperties` you give `createClient()` are merged into every event, session and feedback, which is how a vote is tied to a user.',
  },
]
