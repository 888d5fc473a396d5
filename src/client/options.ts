import { formatIssues, PollenError, type PollenIssue } from '../errors.js'
import { isObject, UUID_V4 } from '../check/index.js'
import type { HoneyHiveEvent } from '../schema/index.js'
import { HONEYHIVE_URL } from '../honeyhive/index.js'
import type { Target } from '../transport/index.js'
import { pageSessionId } from './session.js'

/** Options of `createClient`. Either `endpoint` (proxy mode) or `apiKey` (direct mode) is needed. */
export interface ClientOptions {
  /** HoneyHive project that every event and session belongs to. */
  project: string
  /**
   * Environment the events come from.
   * @default 'production'
   */
  source?: string
  /**
   * Where events go. Without `apiKey`: your app's Pollen proxy route (proxy
   * mode), e.g. `'/api/pollen'`. With `apiKey`: HoneyHive's base URL (direct mode).
   * @default 'https://api.honeyhive.ai' in direct mode; required in proxy mode
   */
  endpoint?: string
  /**
   * HoneyHive API key for direct mode. It is visible to anyone who opens the
   * page: use it only for internal tools, and the proxy everywhere else.
   */
  apiKey?: string
  /**
   * Session the events belong to.
   * @default a new lowercase UUIDv4 per page session (kept across reloads of the tab)
   */
  sessionId?: string
  /**
   * Name of the session shown in HoneyHive.
   * @default the project name
   */
  sessionName?: string
  /**
   * Who the end user is (`user_id`, `email`, `plan`, …): merged into every
   * event's, session's and feedback's `user_properties`.
   * @default undefined
   */
  userProperties?: Record<string, unknown>
  /**
   * Items per request; a send starts as soon as this many are waiting. A
   * backlog (after an outage, or a burst) goes faster: in requests of up to
   * 512 KiB, a few at a time.
   * @default 50
   */
  batchSize?: number
  /**
   * How long items may wait before a send, in ms.
   * @default 2000
   */
  flushInterval?: number
  /**
   * Cap of the stored queue, shared by the tabs of an origin. Past it the
   * oldest events are evicted (never feedback or updates), each counted.
   * @default 5242880 (5 MiB)
   */
  maxQueueBytes?: number
  /**
   * Largest accepted event, as UTF-8 JSON; a larger one is refused by `log()`.
   * @default 1048576 (1 MiB)
   */
  maxEventBytes?: number
  /**
   * Queued items older than this (ms) are dropped unsent, each counted as
   * `expired`, so that a one-time visitor's prompts do not stay in the
   * browser forever.
   * @default 604800000 (7 days)
   */
  maxAgeMs?: number
  /**
   * Where the queue lives. `'indexeddb'` survives reloads, crashes and closed
   * tabs; `'memory'` lasts as long as the page.
   * @default 'indexeddb'
   */
  storage?: 'indexeddb' | 'memory'
  /**
   * Whether the client logs at all. `false` (before the user's consent): `log()`,
   * `feedback()` and the rest still validate and return ids, but nothing is
   * stored or sent and each call counts as a `disabled` drop, until `enable()`.
   * @default true
   */
  enabled?: boolean
  /**
   * Last look at each event before it is queued: return it (changed or not),
   * or `null` to drop it (counted as `before-send`). Runs synchronously in `log()`,
   * before the event reaches storage: the place to redact what must not leave
   * (or stay in) the user's browser.
   * @default undefined
   */
  beforeSend?: (event: HoneyHiveEvent) => HoneyHiveEvent | null
  /**
   * Told about everything that goes wrong in the background: storage falling
   * back to memory, items the server refused, evictions. Never thrown.
   * @default undefined
   */
  onError?: (error: PollenError) => void
}

/** Options with every default filled in. */
export interface ResolvedOptions extends ClientOptions {
  source: string
  /** Where items go: the proxy route (proxy mode), or HoneyHive with the key (direct mode). */
  target: Target
  sessionId: string
  sessionName: string
  batchSize: number
  flushInterval: number
  maxQueueBytes: number
  maxEventBytes: number
  maxAgeMs: number
  storage: 'indexeddb' | 'memory'
  enabled: boolean
}

/** Checks the options and fills defaults; throws `invalid-options` naming each bad field. */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  const issues: PollenIssue[] = []
  const o = (options ?? {}) as ClientOptions & Record<string, unknown>
  /** Adds an issue when `name` is set and not `valid` (or, when `required`, not set). */
  const check = (name: keyof ClientOptions, valid: (value: unknown) => boolean, message: string, required = false) => {
    const value = o[name]
    if (value === undefined ? required : !valid(value)) issues.push({ path: [name], message: value === undefined ? `required: ${message}` : message })
  }
  const text = (name: keyof ClientOptions, required = false) =>
    check(name, (value) => typeof value === 'string' && value !== '', 'expected a non-empty string', required)
  const count = (name: keyof ClientOptions, min: number) =>
    check(name, (value) => typeof value === 'number' && Number.isInteger(value) && value >= min, `expected an integer ≥ ${min}`)
  text('project', true)
  text('source')
  text('endpoint', o.apiKey === undefined)
  text('apiKey')
  text('sessionId')
  check('sessionId', (value) => typeof value !== 'string' || UUID_V4.test(value), 'expected a lowercase UUIDv4')
  text('sessionName')
  count('batchSize', 1)
  count('flushInterval', 0)
  count('maxQueueBytes', 1024)
  count('maxEventBytes', 256)
  count('maxAgeMs', 1)
  check('storage', (value) => value === 'indexeddb' || value === 'memory', 'expected "indexeddb" or "memory"')
  check('enabled', (value) => typeof value === 'boolean', 'expected a boolean')
  check('userProperties', isObject, 'expected an object')
  for (const name of ['beforeSend', 'onError'] as const) check(name, (value) => typeof value === 'function', 'expected a function')
  if (issues.length > 0) throw new PollenError('invalid-options', `Invalid createClient options: ${formatIssues(issues)}`, issues)
  const endpoint = o.endpoint ?? HONEYHIVE_URL
  return {
    ...o,
    source: o.source ?? 'production',
    target: o.apiKey === undefined ? { mode: 'proxy', endpoint } : { mode: 'direct', endpoint, apiKey: o.apiKey },
    sessionId: o.sessionId ?? pageSessionId(o.project),
    sessionName: o.sessionName ?? o.project,
    batchSize: o.batchSize ?? 50,
    flushInterval: o.flushInterval ?? 2000,
    maxQueueBytes: o.maxQueueBytes ?? 5 * 1024 * 1024,
    maxEventBytes: o.maxEventBytes ?? 1024 * 1024,
    maxAgeMs: o.maxAgeMs ?? 7 * 86_400_000,
    storage: o.storage ?? 'indexeddb',
    enabled: o.enabled ?? true,
  }
}
