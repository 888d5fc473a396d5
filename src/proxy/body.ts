/** Thrown when a body passes the cap; reading stops there. */
export class TooLarge extends Error {}

/** Thrown when a body has not arrived whole by the request's deadline; reading stops there. */
export class TooSlow extends Error {}

/**
 * Reads a web-standard request body as text, stopping (and cancelling the
 * stream) as soon as it passes `limit` bytes, so a huge body is never
 * buffered, or when `deadline` (ms since the epoch) passes, so a body that
 * trickles in forever cannot hold the request.
 */
export async function readText(request: Request, limit: number, deadline: number): Promise<string> {
  const declared = Number(request.headers.get('content-length'))
  if (declared > limit) throw new TooLarge()
  if (!request.body) return ''
  const reader = request.body.getReader()
  const decoder = new TextDecoder()
  let size = 0
  let text = ''
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TooSlow()), Math.max(0, deadline - Date.now()))
  })
  late.catch(() => undefined)
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), late])
      if (done) break
      size += value.byteLength
      if (size > limit) throw new TooLarge()
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
