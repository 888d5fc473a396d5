import type { RateLimit } from './rate-limit.js'

/** What `authorize` may answer: `false` refuses; an object vouches for the user. */
export type Authorization = boolean | { user_properties?: Record<string, unknown> }

/** Options of `createProxyHandler`. */
export interface ProxyOptions {
  /** HoneyHive API key, from the server's environment (e.g. `process.env.HH_API_KEY`). Never sent to browsers. */
  apiKey: string
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
   * Most items (sessions + events + updates) in one envelope.
   * @default 1000
   */
  maxItems?: number
  /**
   * Requests per client address and session, as a token bucket; `false` turns it off.
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
   * Upstream requests that take longer are abandoned; the client retries.
   * @default 10000
   */
  timeoutMs?: number
  /**
   * Where upstream failures are reported (never with the API key).
   * @default console.warn
   */
  log?: (line: string) => void
  /** The fetch used for upstream calls (tests, instrumentation). @default globalThis.fetch */
  fetch?: typeof fetch
}

/** Per request facts the host server knows and `Request` does not carry. */
export interface ProxyContext {
  /** The client's address, for rate limiting. `toNodeListener` fills it from the socket. */
  clientAddress?: string
}
