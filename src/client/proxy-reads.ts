import type { Target } from '../transport/index.js'

/**
 * Remembers across page loads what the proxy said it reads (`seq`, `gzip`),
 * in localStorage, so that a page closed before its first answer can still
 * send gzipped beacons (transport/beacon.ts): a proxy that read gzip on the
 * last page reads it now, and if it was rolled back meanwhile, the beacon's
 * items stay stored for a plain send. Returns what the sender calls after each
 * round of answers: it writes what changed. Never throws: localStorage may be missing
 * or refuse access (sandboxed frames, some privacy modes).
 */
export function rememberProxyReads(target: Target, queue: string): () => void {
  if (target.mode !== 'proxy') return () => undefined
  const key = `pollen-reads:${queue}`
  let saved: string | null = null
  try {
    saved = localStorage.getItem(key)
  } catch {
    // Nothing remembered: the first answer says it.
  }
  target.seq = !!saved?.includes('seq')
  target.gzip = !!saved?.includes('gzip')
  return () => {
    const now = `${target.seq ? 'seq' : ''} ${target.gzip ? 'gzip' : ''}`
    if (now === saved) return
    saved = now
    try {
      localStorage.setItem(key, now)
    } catch {
      // Not remembered; the next page learns it from its first answer.
    }
  }
}
