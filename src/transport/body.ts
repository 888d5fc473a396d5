/** Request bodies as fetch takes them: UTF-8 bytes, gzipped by the browser for a proxy that reads gzip. */

/** Envelopes smaller than this go plain: gzip's header and trailer would eat the gain. */
export const GZIP_MIN_BYTES = 1024

/** Whether this browser can gzip a body (CompressionStream: Chromium 80, Firefox 113, Safari 16.4). */
export const canGzip = () => typeof CompressionStream === 'function'

/**
 * `text` as UTF-8 bytes, encoded into a buffer: `new Blob([text])` and
 * `TextEncoder.encode()` each measured 25–30 ms per 800 kB of JSON on
 * Chromium's main thread, this 5 ms. (Handing the bytes to `fetch()` still
 * costs it about 50 ms per plain 512 kB body: see chunk.ts.)
 */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  const buffer = new Uint8Array(text.length * 3)
  return buffer.subarray(0, new TextEncoder().encodeInto(text, buffer).written)
}

/** `bytes` gzipped by the browser's CompressionStream (Chromium deflates on the main thread, about 35 ms per MB of JSON). */
export function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Blob> {
  return new Response(new Response(bytes).body!.pipeThrough(new CompressionStream('gzip'))).blob()
}
