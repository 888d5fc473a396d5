import type { WireRequest } from './wire.js'

/** A request that has not answered after this long is abandoned and retried. */
export const REQUEST_TIMEOUT_MS = 30_000

/** The fetch a send uses; tests pass a fake. */
export type Fetch = typeof fetch

/** Sends one request; network errors and timeouts come back as `undefined`. */
export async function exchange(fetchImpl: Fetch, request: WireRequest): Promise<Response | undefined> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS)
  try {
    // The request is its own RequestInit: fetch ignores the members it does not know.
    return await fetchImpl(request.url, { ...request, signal: controller.signal })
  } catch {
    return undefined
  } finally {
    clearTimeout(timer)
  }
}

/** An answer's body as JSON; undefined when it is not JSON. */
export const readJson = (response: Response): Promise<unknown> => response.json().catch(() => undefined)
