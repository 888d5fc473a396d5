import type { IncomingMessage, ServerResponse } from 'node:http'
import { readBody } from '../../src/server/body.js'

/** What the demo's collector is told to do for a while: fail with 500s, or with 429 and Retry-After. */
export interface Fault {
  kind: 'none' | '500' | '429'
  /** Epoch ms when it ends. */
  until?: number
}

/** Seconds a 429 asks the client to wait. */
const RETRY_AFTER_S = 5

/**
 * A switch in front of the collector, so a visitor can watch the client ride
 * out a failing server: while on, every collector request is answered with
 * the fault instead.
 */
export function createFaultSwitch() {
  let fault: Fault = { kind: 'none' }
  const current = (): Fault => {
    if (fault.kind !== 'none' && fault.until !== undefined && fault.until <= Date.now()) fault = { kind: 'none' }
    return fault
  }
  return {
    current,
    set(kind: Fault['kind'], seconds = 20) {
      fault = kind === 'none' ? { kind } : { kind, until: Date.now() + seconds * 1000 }
      return fault
    },
    /** Answers the request with the fault and returns true, or returns false when there is none. */
    intercept(res: ServerResponse): boolean {
      const { kind } = current()
      if (kind === 'none') return false
      if (kind === '429') {
        res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': String(RETRY_AFTER_S) })
        res.end(JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'The demo collector is refusing for a while (429)' } }))
      } else {
        res.writeHead(500, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'The demo collector is failing for a while (500)' } }))
      }
      return true
    },
  }
}

/** Reads a small JSON body; undefined when it is not JSON, larger than 1 MB, or cut short. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  try {
    return JSON.parse(await readBody(req, 1_000_000))
  } catch {
    return undefined
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify(body))
}
