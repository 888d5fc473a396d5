import type { IncomingMessage, ServerResponse } from 'node:http'

/** Thrown by {@link readBody} when a body passes the cap. */
export class BodyTooLarge extends Error {
  constructor(
    readonly limit: number,
    /** Bytes read (and dropped) before giving up. */
    readonly received: number,
  ) {
    super(`The body is larger than ${limit} bytes`)
  }
}

/** Thrown by {@link readBody} when the client goes away before the body ends. */
export class BodyAborted extends Error {
  constructor() {
    super('The client closed the connection before the body ended')
  }
}

/**
 * Reads a request body as UTF-8, refusing (and no longer buffering) past
 * `limit` bytes. Always settles: on the end of the body, the cap, an error, or
 * the connection closing first.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'])
    if (declared > limit) {
      reject(new BodyTooLarge(limit, 0))
      return
    }
    let chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.off('data', onData)
        req.pause()
        chunks = []
        reject(new BodyTooLarge(limit, size))
        return
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

/** How much of a refused upload is read and dropped before the connection is cut. */
export interface DrainBudget {
  bytes: number
  ms: number
}

/**
 * Answers while the client is still uploading (413) so that it can read the
 * answer: sends it whole with `Connection: close`, then reads and drops the
 * rest of the upload, and ends the response (which closes the connection)
 * only once the upload is over. Closing a socket with unread bytes makes the
 * kernel send RST, and a client still sending then loses the answer: 8 of 12
 * 17 MiB uploads got ECONNRESET instead of the 413. Past the budget the
 * connection is cut anyway.
 */
export function answerEarly(req: IncomingMessage, res: ServerResponse, status: number, body: string, headers: Record<string, string>, budget: DrainBudget): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' })
  res.write(body)
  let left = budget.bytes
  let ended = false
  const end = () => {
    if (ended) return
    ended = true
    clearTimeout(timer)
    req.off('data', onData)
    res.end()
  }
  const cut = () => {
    end()
    // Once the answer is out (destroying now could drop it); Node ends the writing side already.
    res.once('finish', () => req.socket.destroy())
  }
  const onData = (chunk: Buffer) => {
    left -= chunk.length
    if (left < 0) cut()
  }
  const timer = setTimeout(cut, budget.ms).unref()
  if (req.complete) return end()
  req.on('data', onData)
  req.once('end', end)
  req.once('close', end)
  req.resume()
}
