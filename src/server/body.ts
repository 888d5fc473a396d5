import type { IncomingMessage } from 'node:http'
import { byDeadline } from './deadline.js'

/** Thrown when a body passes the cap; reading stops there. */
export class BodyTooLarge extends Error {
  constructor(
    readonly limit: number,
    /** Bytes read (and dropped) before giving up. */
    readonly received: number,
  ) {
    super(`The body is larger than ${limit} bytes`)
  }
}

/** Thrown when a body has not arrived whole by the request's deadline; reading stops there. */
export class BodyTooSlow extends Error {}

/** Thrown when the client goes away before the body ends. */
export class BodyAborted extends Error {
  constructor() {
    super('The client closed the connection before the body ended')
  }
}

/**
 * The cap of a body: refuses a declared `Content-Length` past `limit` at once,
 * then counts each chunk as it arrives and throws {@link BodyTooLarge} as soon
 * as the total passes it, so a huge body is never buffered.
 */
function capBody(limit: number, contentLength: string | null | undefined): (chunkBytes: number) => void {
  if (Number(contentLength) > limit) throw new BodyTooLarge(limit, 0)
  let received = 0
  return (chunkBytes) => {
    received += chunkBytes
    if (received > limit) throw new BodyTooLarge(limit, received)
  }
}

/** Thrown when a gzip body cannot be inflated: truncated, or not gzip after its first two bytes. */
export class BodyCorrupt extends Error {}

/** Reads a stream whole, passing each chunk's size to `count` (which throws to stop), by `deadline`. */
async function readAll(stream: ReadableStream<Uint8Array>, count: (bytes: number) => void, deadline: number): Promise<Uint8Array[]> {
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  try {
    for (;;) {
      const step = await byDeadline(reader.read(), deadline, undefined)
      if (!step) throw new BodyTooSlow()
      const { done, value } = step
      if (done) return chunks
      count(value.byteLength)
      chunks.push(value)
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined)
    throw error
  }
}

/**
 * Reads a web-standard request body as text (the proxy, in any runtime),
 * stopping and cancelling the stream past `limit` bytes, or when `deadline`
 * (ms since the epoch) passes, so that a body that trickles in forever cannot
 * hold the request.
 *
 * A body that starts with gzip's magic bytes (0x1f 0x8b: JSON never does) is
 * inflated, so that clients need no `Content-Encoding` header and browsers no
 * CORS preflight. Inflating stops past `inflatedLimit` bytes
 * ({@link BodyTooLarge}): a gzip bomb costs that much memory and time, no more.
 */
export async function readText(request: Request, limit: number, deadline: number, inflatedLimit = limit): Promise<string> {
  const count = capBody(limit, request.headers.get('content-length'))
  if (!request.body) return ''
  let chunks = await readAll(request.body, count, deadline)
  if (chunks[0]?.[0] === 0x1f && (chunks[0][1] ?? chunks[1]?.[0]) === 0x8b) {
    const inflating = new Blob(chunks as BlobPart[]).stream().pipeThrough(new DecompressionStream('gzip'))
    try {
      chunks = await readAll(inflating, capBody(inflatedLimit, undefined), deadline)
    } catch (error) {
      if (error instanceof BodyTooLarge || error instanceof BodyTooSlow) throw error
      throw new BodyCorrupt(`The gzip body could not be inflated (${String((error as Error)?.message).slice(0, 100)})`)
    }
  }
  const decoder = new TextDecoder()
  return chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join('') + decoder.decode()
}

/**
 * Reads a node:http request body as UTF-8 (the collector), refusing (and no
 * longer buffering) past `limit` bytes. Always settles: on the end of the
 * body, the cap, an error, or the connection closing first.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const count = capBody(limit, req.headers['content-length'])
    let chunks: Buffer[] = []
    const onData = (chunk: Buffer) => {
      try {
        count(chunk.length)
      } catch (error) {
        req.off('data', onData)
        req.pause()
        chunks = []
        return reject(error)
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', () => reject(new BodyAborted()))
    // After 'end' this changes nothing: a promise settles once.
    req.on('close', () => reject(new BodyAborted()))
  })
}
