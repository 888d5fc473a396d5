/** HTTP/1.1 by hand over TCP, for requests fetch refuses to send: bad Host, TRACE, absolute targets, bodies that never end. */
import { connect } from 'node:net'

export interface RawAnswer {
  /** The status code, or undefined when the server closed without answering. */
  status?: number
  head: string
  body: string
  /** ms until the answer (or the close). */
  ms: number
}

/**
 * Writes `request` (the whole text, CRLFs included) to `url`'s host and port,
 * then reads until the server closes or `waitMs` passes (then it closes
 * itself). `trickle` keeps writing one byte every 100 ms after the request,
 * as a body that never ends.
 */
export function raw(url: string, request: string, { waitMs = 3000, trickle = false } = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(url)
  const started = Date.now()
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    let text = ''
    let drip: ReturnType<typeof setInterval> | undefined
    const finish = () => {
      clearInterval(drip)
      clearTimeout(timer)
      socket.destroy()
      const [head = '', body = ''] = splitOnce(text, '\r\n\r\n')
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]
      resolve({ status: status ? Number(status) : undefined, head, body: dechunk(head, body), ms: Date.now() - started })
    }
    const timer = setTimeout(finish, waitMs)
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1')
      // One answer is all we need; keep-alive would otherwise hold the socket open.
      if (complete(text)) finish()
    })
    socket.on('close', finish)
    socket.on('error', finish)
    socket.write(request)
    if (trickle) drip = setInterval(() => socket.writable && socket.write('x'), 100)
  })
}

function splitOnce(text: string, separator: string): [string, string] | [string] {
  const at = text.indexOf(separator)
  return at === -1 ? [text] : [text.slice(0, at), text.slice(at + separator.length)]
}

function complete(text: string): boolean {
  const [head, body] = splitOnce(text, '\r\n\r\n')
  if (body === undefined) return false
  const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1]
  if (length !== undefined) return Buffer.byteLength(body, 'latin1') >= Number(length)
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) return body.endsWith('0\r\n\r\n')
  return false
}

function dechunk(head: string, body: string): string {
  if (!/\r\ntransfer-encoding: *chunked/i.test(head)) return body
  let out = ''
  let rest = body
  for (;;) {
    const [size, after] = splitOnce(rest, '\r\n')
    const n = Number.parseInt(size, 16)
    if (!n || after === undefined) return out
    out += after.slice(0, n)
    rest = after.slice(n + 2)
  }
}

/** A request's text: the request line, headers and an optional body with its length. */
export function http(line: string, headers: Record<string, string>, body?: string): string {
  const all = body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }
  return `${line}\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body ?? ''}`
}
