/**
 * A small synchronous gzip (RFC 1952) for the unload path, where
 * `CompressionStream` cannot finish: `pagehide` hands its beacons over before
 * any stream step runs. One DEFLATE block (RFC 1951) with the fixed Huffman
 * codes, so no code tables are built or sent, and LZ77 matches over a 32 KiB
 * window found through hash chains, with one byte of lazy matching. JSON
 * envelopes of similar events repeat their keys and much of their values,
 * which the matches catch; the fixed codes cost some ratio against a full
 * deflate (21–25% of chat envelopes against zlib's 18–20%, and 250 kB of chat
 * JSON in 6 ms once V8 has compiled it, 35–55 ms on a first call, in one-off
 * timings in Chromium that issue 13's note gives).
 */

/** Bytes of the LZ77 window, the most DEFLATE can refer back. */
const WINDOW = 1 << 15
/** Hash-chain links followed per position: more finds longer matches, slower. */
const CHAIN = 16
/** A match this long ends the search: longer ones gain little. */
const NICE_MATCH = 64
/** A match this long is taken without looking one byte further for a longer one. */
const LAZY_MATCH = 16
const MIN_MATCH = 3
const MAX_MATCH = 258
const HASH_BITS = 15

/** Base lengths of length codes 257–285, and base distances of distance codes 0–29. */
const LENGTH_BASE: number[] = []
const DISTANCE_BASE: number[] = []
const lengthExtra = (code: number) => (code < 8 || code === 28 ? 0 : (code - 4) >> 2)
const distanceExtra = (code: number) => (code < 4 ? 0 : (code - 2) >> 1)

/** The fixed Huffman code of each literal/length symbol, bit-reversed (DEFLATE writes codes from their top bit), and its length. */
let literalCodes: Uint16Array | undefined
let literalLengths: Uint8Array
let crcTable: Int32Array
/** Distance codes 0–29 in five bits, bit-reversed. */
const distanceCodes: number[] = []

const reverse = (code: number, bits: number) => {
  let out = 0
  for (let i = 0; i < bits; i++) out = (out << 1) | ((code >> i) & 1)
  return out
}

function init(): Uint16Array {
  literalCodes = new Uint16Array(288)
  literalLengths = new Uint8Array(288)
  for (let symbol = 0; symbol < 288; symbol++) {
    // RFC 1951 §3.2.6: 0–143 in 8 bits from 0x30, 144–255 in 9 from 0x190, 256–279 in 7 from 0, 280–287 in 8 from 0xc0.
    const bits = symbol < 144 ? 8 : symbol < 256 ? 9 : symbol < 280 ? 7 : 8
    literalCodes[symbol] = reverse(symbol + (symbol < 144 ? 0x30 : symbol < 256 ? 0x190 - 144 : symbol < 280 ? -256 : 0xc0 - 280), bits)
    literalLengths[symbol] = bits
  }
  for (let code = 0, base = 3; code < 29; code++) {
    LENGTH_BASE.push(code === 28 ? MAX_MATCH : base)
    base += 1 << lengthExtra(code)
  }
  for (let code = 0, base = 1; code < 30; code++) {
    distanceCodes.push(reverse(code, 5))
    DISTANCE_BASE.push(base)
    base += 1 << distanceExtra(code)
  }
  crcTable = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    crcTable[n] = c
  }
  return literalCodes
}

/** `input` as a gzip member: header, one fixed-Huffman DEFLATE block, CRC-32 and size. */
export function gzipSync(input: Uint8Array): Uint8Array<ArrayBuffer> {
  const codes = literalCodes ?? init()
  const lengths = literalLengths
  const n = input.length
  // Fixed codes spend at most 9 bits on a byte: enough room whatever the input.
  const out = new Uint8Array(18 + ((n * 9) >> 3) + 16)
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])
  let at = 10
  // Last block, fixed codes (BFINAL 1, BTYPE 01): three bits.
  let bitBuffer = 3
  let bitCount = 3
  const head = new Int32Array(1 << HASH_BITS).fill(-1)
  const previous = new Int32Array(WINDOW)
  const last = n - MIN_MATCH
  // The match found at `i` (its length and distance), and the one at i + 1 when looked for.
  let length = 0
  let distance = 0
  let i = 0
  // Each turn looks for the longest earlier match at `next` (chaining it), then
  // writes what lies before it: a literal, or the match held from the turn before.
  for (let next = 0; i < n; next++) {
    let nextLength = 0
    let nextDistance = 0
    if (next <= last) {
      const h = ((input[next]! << 10) ^ (input[next + 1]! << 5) ^ input[next + 2]!) & ((1 << HASH_BITS) - 1)
      let candidate = head[h]!
      previous[next & (WINDOW - 1)] = candidate
      head[h] = next
      if (next === i || length < LAZY_MATCH) {
        const limit = Math.min(MAX_MATCH, n - next)
        for (let chain = CHAIN; candidate >= 0 && next - candidate <= WINDOW && chain > 0; chain--) {
          // The byte just past the best match so far must match too, or this candidate cannot beat it.
          if (input[candidate + nextLength] === input[next + nextLength]) {
            let k = 0
            while (k < limit && input[candidate + k] === input[next + k]) k++
            if (k > nextLength) {
              nextLength = k
              nextDistance = next - candidate
              if (k >= NICE_MATCH || k === limit) break
            }
          }
          candidate = previous[candidate & (WINDOW - 1)]!
        }
      }
    }
    if (next === i) {
      // The first look at `i`: hold its match and look one byte on.
      length = nextLength
      distance = nextDistance
      continue
    }
    let symbol: number
    let extra = 0
    let extraBits = 0
    if (length < MIN_MATCH || nextLength > length) {
      // Lazy matching: a longer match one byte on is worth a literal here.
      symbol = input[i++]!
      length = nextLength
      distance = nextDistance
    } else {
      let code = 28
      while (LENGTH_BASE[code]! > length) code--
      symbol = 257 + code
      extra = length - LENGTH_BASE[code]!
      extraBits = lengthExtra(code)
      bitBuffer |= codes[symbol]! << bitCount
      bitCount += lengths[symbol]!
      bitBuffer |= extra << bitCount
      bitCount += extraBits
      while (bitCount >= 8) {
        out[at++] = bitBuffer
        bitBuffer >>>= 8
        bitCount -= 8
      }
      code = 29
      while (DISTANCE_BASE[code]! > distance) code--
      symbol = -1
      bitBuffer |= distanceCodes[code]! << bitCount
      bitCount += 5
      extra = distance - DISTANCE_BASE[code]!
      extraBits = distanceExtra(code)
      // The positions inside the match are chained too, so later text can refer to them.
      const end = i + length
      for (let p = next + 1; p < end && p <= last; p++) {
        const h = ((input[p]! << 10) ^ (input[p + 1]! << 5) ^ input[p + 2]!) & ((1 << HASH_BITS) - 1)
        previous[p & (WINDOW - 1)] = head[h]!
        head[h] = p
      }
      i = end
      next = end - 1
      length = 0
    }
    if (symbol >= 0) {
      bitBuffer |= codes[symbol]! << bitCount
      bitCount += lengths[symbol]!
    }
    bitBuffer |= extra << bitCount
    bitCount += extraBits
    while (bitCount >= 8) {
      out[at++] = bitBuffer
      bitBuffer >>>= 8
      bitCount -= 8
    }
  }
  // The end-of-block code (256: seven zero bits), then the last byte, padded.
  bitCount += 7
  while (bitCount > 0) {
    out[at++] = bitBuffer
    bitBuffer >>>= 8
    bitCount -= 8
  }

  let crc = -1
  for (let k = 0; k < n; k++) crc = crcTable[(crc ^ input[k]!) & 0xff]! ^ (crc >>> 8)
  crc = ~crc
  for (const word of [crc, n]) for (let shift = 0; shift < 32; shift += 8) out[at++] = word >>> shift
  return out.slice(0, at)
}
