import type { Target } from './wire.js'

/** Request bodies stay under this many bytes unless a single item is larger. */
export const MAX_BODY_BYTES = 512 * 1024

/**
 * The body size a round aims for: MAX_BODY_BYTES for a proxy that reads gzip
 * (the body shrinks to about a fifth before fetch takes it), a quarter of it
 * for plain JSON: Chromium's fetch() took about 50 ms of the main thread per
 * plain 512 kB body, a long task per request in the long-tasks bench.
 */
export const bodyBytesFor = (target: Target): number => (target.mode === 'proxy' && target.gzip ? MAX_BODY_BYTES : MAX_BODY_BYTES / 4)

/**
 * Splits items, in order, into runs whose summed `bytes` stay within
 * `maxBytes` (plus one byte of separator per item). An item larger than
 * `maxBytes` travels alone.
 */
export function chunkByBytes<T extends { bytes: number }>(items: T[], maxBytes: number, overhead = 64): T[][] {
  const chunks: T[][] = []
  let current: T[] = []
  let size = overhead
  for (const item of items) {
    if (current.length > 0 && size + item.bytes + 1 > maxBytes) {
      chunks.push(current)
      current = []
      size = overhead
    }
    current.push(item)
    size += item.bytes + 1
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}
