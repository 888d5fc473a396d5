import type { IncomingMessage, ServerResponse } from 'node:http'

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
