import type { IncomingMessage } from 'node:http'

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

/**
 * Reads a web-standard request body as text (the proxy, in any runtime),
 * stopping and cancelling the stream past `limit` bytes, or when `deadline`
 * (ms since the epoch) passes, so that a body that trickles in forever cannot
 * hold the request.
 */
export async function readText(request: Request, limit: number, deadline: number): Promise<string> {
  const count = capBody(limit, request.headers.get('content-length'))
  if (!request.body) return ''
  const reader = request.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BodyTooSlow()), Math.max(0, deadline - Date.now()))
  })
  late.catch(() => undefined)
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), late])
      if (done) break
      count(value.byteLength)
      text += decoder.decode(value, { stream: true })
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined)
    throw error
  } finally {
    clearTimeout(timer)
  }
  return text + decoder.decode()
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
