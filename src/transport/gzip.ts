/** Envelopes smaller than this go plain: gzip's header and trailer would eat the gain. */
export const GZIP_MIN_BYTES = 1024

/** Whether this browser can gzip a body (CompressionStream: Chromium 80, Firefox 113, Safari 16.4). */
export const canGzip = () => typeof CompressionStream === 'function'

/** `text` as gzip bytes, compressed by the browser's CompressionStream. */
export function gzip(text: string): Promise<Blob> {
  return new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).blob()
}
