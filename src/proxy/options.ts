import type { TrustProxy } from './forwarded.js'
import type { RateLimit } from './rate-limit.js'
import type { ProxyState } from './state.js'

/**
 * What `authorize` may answer: `false` refuses; an object vouches for the user.
 * Its `user_properties.user_id`, when there is one, keys the user's rate limit.
 */
export type Authorization = boolean | { user_properties?: Record<string, unknown> }

/** Options of `createProxyHandler`. */
export interface ProxyOptions {
  /**
   * HoneyHive API key, from the server's environment (e.g. `process.env.HH_API_KEY`). Never sent to browsers.
   * Required unless `upstream` is set: a local `pollen-collector` without `--api-key` needs none.
   */
  apiKey?: string
  /** Project forced onto every event and session, so a browser cannot write into another. */
  project: string
  /** When set, forced onto every event and session. */
  source?: string
  /**
   * Where to forward: HoneyHive, or a `pollen-collector` locally.
   * @default 'https://api.honeyhive.ai'
   */
  upstream?: string
  /**
   * Origins besides the proxy's own that may call it (CORS), or `'*'`.
   * @default [] (same origin only)
   */
  allowedOrigins?: string[] | '*'
  /**
   * The app's own public origin(s), e.g. `'https://chat.example.com'`. By
   * default the proxy takes its origin from the connection's scheme and the
   * `Host` header (and treats a browser's `Sec-Fetch-Site: same-origin` as its
   * own); never from the request target.
   */
  origin?: string | string[]
  /**
   * Believe `X-Forwarded-Proto`, `X-Forwarded-Host` and `X-Forwarded-For`, as
   * set by a load balancer or CDN in front of the app: `true` for one proxy, a
   * number for that many hops. Off by default, because any client can send
   * them; like Express's `trust proxy`.
   * @default false
   */
  trustProxy?: TrustProxy
  /**
   * The rate-limit key of a request, from something the app vouches for: a
   * session cookie, or `request.headers.get('CF-Connecting-IP')` on Workers.
   * Without it: the user `authorize` vouched for, else the client address
   * (socket, or `X-Forwarded-For` with `trustProxy`), else one bucket shared by
   * every request. Never a field of the body.
   */
  clientKey?: (request: Request) => string | undefined
  /**
   * Fields a browser may update on an event: it may rate an answer, not rewrite it.
   * @default ['feedback', 'user_properties', 'metadata']
   */
  allowedUpdateFields?: string[]
  /**
   * Largest body read; larger ones get 413, and reading stops at the cap.
   * @default 1048576 (1 MiB)
   */
  maxBodyBytes?: number
  /**
   * Largest body a gzip body may inflate to; past it the answer is 413 and
   * inflating stops, so a small body that inflates to gigabytes costs this
   * much at most. Clients send gzip (no header: the proxy knows it by its
   * first bytes) once an answer listed `gzip` in `supports`.
   * @default 8388608 (8 MiB)
   */
  maxInflatedBytes?: number
  /**
   * Most items (sessions + events + updates) in one envelope.
   * @default 1000
   */
  maxItems?: number
  /**
   * Requests per client (see `clientKey`), as a token bucket; `false` turns it off.
   * @default { requests: 120, perMs: 60_000 }
   */
  rateLimit?: RateLimit | false
  /**
   * Decides who may log, e.g. from your session cookie. `false` answers 401.
   * `user_properties` returned are server-verified and override what the browser sent.
   * @default undefined (everyone may log)
   */
  authorize?: (request: Request) => Authorization | Promise<Authorization>
  /**
   * Only this path is served (others get 404); by default any path the handler is mounted at.
   * @default undefined
   */
  path?: string
  /**
   * Deadline of a whole request, body, `authorize` and every upstream call
   * included: what is not forwarded by then is left for the client's retry
   * (503 with `Retry-After`, or 408 for a body that did not arrive).
   * @default 10000
   */
  timeoutMs?: number
  /**
   * An update must target an event or session of `project`. Ids the proxy did
   * not forward itself are looked up upstream (`POST /events/export`); one not
   * found is retried by the client for this long (HoneyHive may still be
   * indexing it) before the update is refused as `unknown-event`.
   * @default 3600000 (1 hour)
   */
  updateGraceMs?: number
  /**
   * What the proxy remembers between requests: the ids it forwarded (a repeat
   * is answered without forwarding it again), each event's newest update, and
   * the rate-limit buckets. Give every instance the same one to deduplicate
   * across them: `createRedisState` from `pollen/proxy/redis`.
   * @default createMemoryState() (this process only)
   */
  state?: ProxyState
  /**
   * How long a forwarded id is remembered: a repeat within it is not forwarded.
   * @default 86400000 (24 hours)
   */
  dedupeWindowMs?: number
  /**
   * Where upstream failures are reported (never with the API key).
   * @default console.warn
   */
  log?: (line: string) => void
  /** The fetch used for upstream calls (tests, instrumentation). @default globalThis.fetch */
  fetch?: typeof fetch
}

/**
 * The endpoint: a web-standard route handler. The second argument is a
 * {@link ProxyContext} from `toNodeListener` or your own server; whatever else
 * a framework passes there (Next.js's `{ params }`) is ignored, and its type is
 * `unknown` so that a route module's type check (`next build`) accepts
 * `export const POST = handler`.
 */
export type ProxyHandler = (request: Request, context?: unknown) => Promise<Response>

/** Per request facts the host server knows and `Request` does not carry. */
export interface ProxyContext {
  /** The client's address (the socket's peer), for rate limiting. `toNodeListener` fills it. */
  clientAddress?: string
}
