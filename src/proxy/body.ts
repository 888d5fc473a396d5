/** Thrown when a body passes the cap; reading stops there. */
export class TooLarge extends Error {}

/**
 * Reads a web-standard request body as text, stopping (and cancelling the
 * stream) as soon as it passes `limit` bytes, so a huge body is never buffered.
 */
export async function readText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length'))
  if (declared > limit) throw new TooLarge()
  if (!request.body) return ''
  const reader = request.body.getReader()
  const decoder = new TextDecoder()
  let size = 0
  let text = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => undefined)
      throw new TooLarge()
    }
    text += decoder.decode(value, { stream: true })
  }
  return text + decoder.decode()
}
