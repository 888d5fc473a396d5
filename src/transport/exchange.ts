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
    return await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    })
  } catch {
    return undefined
  } finally {
    clearTimeout(timer)
  }
}

/** An answer's body as JSON; undefined when it is not JSON. */
export async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text())
  } catch {
    return undefined
  }
}
