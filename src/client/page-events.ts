/** What the client does at each turn of the page's lifecycle. */
export interface PageHandlers {
  /** The page is hidden, or going away: the unload path. */
  hidden(): void
  /** The page is shown again. */
  shown(): void
  online(): void
  offline(): void
}

/**
 * Listens to the page's lifecycle, from one table; returns the function that
 * stops listening. Outside a browser page it does nothing.
 *
 * No unload/beforeunload: they keep pages out of the back/forward cache.
 * pagehide and visibilitychange fire where unload would, and more reliably on mobile.
 */
export function listenToPage(on: PageHandlers): () => void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return () => undefined
  const table: [EventTarget, string, () => void][] = [
    [document, 'visibilitychange', () => (document.visibilityState === 'hidden' ? on.hidden() : on.shown())],
    [window, 'pagehide', on.hidden],
    [window, 'pageshow', on.shown],
    [window, 'online', on.online],
    [window, 'offline', on.offline],
  ]
  for (const [target, type, listener] of table) target.addEventListener(type, listener)
  return () => {
    for (const [target, type, listener] of table) target.removeEventListener(type, listener)
  }
}
