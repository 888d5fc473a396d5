/** Longest upstream message passed on; the rest is cut. */
const MAX_MESSAGE = 300

/** `Bearer <token>`, `authorization=…`, `api_key: …` and the like, wherever they stand in a text. */
const CREDENTIAL = /\b(bearer\s+|(?:authorization|api[_-]?key|x-api-key|token|secret|password)["']?\s*[:=]\s*["']?(?:bearer\s+)?)[^\s"',;&)}\]]+/gi

/**
 * Makes text from HoneyHive (or an error) safe to show a browser or a log:
 * the key itself and anything shaped like a credential become `[redacted]`,
 * and the text is cut to a few hundred characters.
 */
export function redact(text: string, secret?: string): string {
  let out = secret && secret.length >= 4 ? text.split(secret).join('[redacted]') : text
  out = out.replace(CREDENTIAL, '$1[redacted]')
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}…` : out
}
