// @vitest-environment node
import fc from 'fast-check'
import { gunzipSync } from 'node:zlib'
import { expect, test } from 'vitest'
import { gzipSync } from '../../src/transport/gzip-sync.js'
import { generateCorpus } from '../corpus/generate.js'

const encode = (text: string) => new TextEncoder().encode(text)
/** Inflated as the proxy inflates: DecompressionStream. */
const inflate = async (bytes: Uint8Array) => new Uint8Array(await new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer())

test('round trip: any bytes come back from zlib and from DecompressionStream, and never grow past 9 bits a byte', async () => {
  // Random bytes, and runs of a few symbols (long and overlapping matches).
  const repetitive = fc.array(fc.constantFrom(...'{"a":1,}'.split('')), { maxLength: 3000 }).map((chars) => encode(chars.join('')))
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 2000 }), repetitive), async (input) => {
      const zipped = gzipSync(input)
      expect(zipped.length).toBeLessThanOrEqual(18 + Math.ceil((input.length * 9) / 8) + 2)
      expect(new Uint8Array(gunzipSync(zipped))).toEqual(input)
      expect(await inflate(zipped)).toEqual(input)
    }),
    { numRuns: 300 },
  )
})

test('edge cases: empty input, one byte, the longest match (258), distances up to the 32 KiB window', async () => {
  // Noise repeated after `gap` bytes: matches at distance `gap`, in the window or just past it.
  const repeated = (gap: number) => {
    const noise = new Uint8Array(gap)
    for (let i = 0, x = 1; i < gap; i++) noise[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24
    return new Uint8Array([...noise, ...noise.subarray(0, 5000)])
  }
  for (const input of [new Uint8Array(0), encode('x'), encode('ab'.repeat(1000)), encode('z'.repeat(600)), repeated(32_768), repeated(32_769)]) {
    expect(new Uint8Array(gunzipSync(gzipSync(input)))).toEqual(input)
  }
  // Within the window, the repeat is found: 5,000 bytes cost little.
  expect(gzipSync(repeated(32_000)).length).toBeLessThan(32_000 * 1.13 + 200)
})

test('chat envelopes shrink to about a quarter; the CRC-32 and size trailer are right', () => {
  const corpus = generateCorpus(20261201, 80)
  const body = encode(`{"events":[${corpus.map((event) => JSON.stringify(event)).join(',')}]}`)
  const zipped = gzipSync(body)
  expect(zipped.length / body.length).toBeLessThan(0.3)
  // gunzip checks the trailer: a wrong CRC or size throws.
  expect(new Uint8Array(gunzipSync(zipped))).toEqual(body)
  const broken = zipped.slice()
  broken[broken.length - 5] = broken[broken.length - 5]! ^ 1
  expect(() => gunzipSync(broken)).toThrow()
})
