/** Random bytes fetched at once for many ids: one getRandomValues call per 256 ids. */
const POOL_IDS = 256
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
let pool: Uint8Array | undefined
let offset = 0

/**
 * A lowercase UUIDv4, as HoneyHive wants for event and session ids. Formatted
 * from a pool of random bytes rather than crypto.randomUUID(): that measured
 * ~4 µs a call in Chromium, a fifth of log()'s budget, and exists only in
 * secure contexts (https, localhost) anyway.
 */
export function uuid(): string {
  if (!pool || offset >= pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(16 * POOL_IDS))
    offset = 0
  }
  const b = pool
  const o = offset
  offset += 16
  return (
    HEX[b[o]!]! + HEX[b[o + 1]!]! + HEX[b[o + 2]!]! + HEX[b[o + 3]!]! + '-' +
    HEX[b[o + 4]!]! + HEX[b[o + 5]!]! + '-' +
    HEX[(b[o + 6]! & 0x0f) | 0x40]! + HEX[b[o + 7]!]! + '-' +
    HEX[(b[o + 8]! & 0x3f) | 0x80]! + HEX[b[o + 9]!]! + '-' +
    HEX[b[o + 10]!]! + HEX[b[o + 11]!]! + HEX[b[o + 12]!]! + HEX[b[o + 13]!]! + HEX[b[o + 14]!]! + HEX[b[o + 15]!]!
  )
}
