/**
 * Where one queued item stands, as told to {@link PollenClient.track}
 * listeners. `ref` values come from `feedback()` and `update()`.
 */
export interface Delivery {
  /**
   * `queued`: stored, not yet confirmed by the server;
   * `sent`: the server took it;
   * `dropped`: given up on (the server refused it, or it was evicted).
   */
  state: 'queued' | 'sent' | 'dropped'
  /** While queued: why it has not gone yet. `offline`: the browser is offline; `retry`: a send failed and waits for its retry. */
  waiting?: 'offline' | 'retry'
  /** When dropped: the reason code (`http-400`, `queue-full`, …) and the server's message. */
  reason?: string
}
