/**
 * What each page fixture exports as `peer`: one analytics library set up the
 * way an app would, behind the same three calls, so that the bench drives
 * Pollen, posthog-js and mixpanel-browser with the same code.
 */
export interface Peer {
  /**
   * Initialises the library against the page's own origin (the bench's
   * recording server); `options` are extra init options of the library.
   * Resolves when the library is ready to take events.
   */
  start(options?: Record<string, unknown>): Promise<void>
  /** This library's argument for the seed event, made once, before any clock runs. */
  input(seed: Record<string, unknown>): unknown
  /** One capture of one event: what the bench times. Returns what the library returns. */
  call(input: unknown): unknown
  /**
   * Events the library took but has since discarded (Pollen's queue cap), for
   * a library that counts them: the bench then stops waiting for those.
   */
  discarded?(): number
  /** What the library reports about its own deliveries, kept in the raw results. */
  report?(): unknown
}
