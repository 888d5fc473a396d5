import { STATUS_CODES, type ServerResponse } from 'node:http'
import { failure, type ApiResponse } from './api.js'

/**
 * Writes an answer as JSON with `headers` (CORS). Does nothing when the
 * request was answered already or its connection is gone: a timeout or a
 * client that left may come before the handler's own answer.
 */
export function reply(res: ServerResponse, response: ApiResponse, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed || res.socket?.writable === false) return
  const body = response.body === undefined ? '' : JSON.stringify(response.body)
  const type = body ? { 'Content-Type': 'application/json' } : {}
  res.writeHead(response.status, { ...headers, ...response.headers, ...type, 'Content-Length': Buffer.byteLength(body) })
  res.end(body)
}

/**
 * A whole HTTP/1.1 error answer as text, for the cases Node leaves no
 * response object to write to (a request it could not parse, a timeout,
 * CONNECT): it closes the connection.
 */
export function rawFailure(status: number, errorCode: string, message: string): string {
  const body = JSON.stringify(failure(status, errorCode, message).body)
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n')
}
