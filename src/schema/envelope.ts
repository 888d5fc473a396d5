import * as z from 'zod/mini'

/**
 * An envelope item before its own validation: any JSON object. Checked in
 * place rather than with z.record, which would copy every event of the body.
 */
const itemSchema = z.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
  params: { expected: 'an object' },
})

/**
 * The proxy envelope, the one request body of proxy mode (fetch and beacon):
 * `{"sessions":[…], "events":[…], "updates":[…]}`, each array optional.
 *
 * Items are only checked to be objects here: each is validated on its own with
 * `sessionSchema`, `eventSchema` or `updateSchema`, so that one bad item is
 * rejected alone while the rest of the envelope goes through.
 */
export const envelopeSchema = z.strictObject({
  sessions: z.optional(z.array(itemSchema)),
  events: z.optional(z.array(itemSchema)),
  updates: z.optional(z.array(itemSchema)),
  /**
   * The client's sequence of each update (same length as `updates`), increasing
   * per event: the proxy forwards no update older than one it forwarded. Not
   * sent to HoneyHive. Clients send it once an answer listed `seq` in `supports`.
   */
  seq: z.optional(z.array(z.int())),
})

/** The proxy envelope before its items are validated. */
export type Envelope = z.infer<typeof envelopeSchema>

/** Which array of the envelope an item came from. */
export const itemKindSchema = z.enum(['session', 'event', 'update'])

/** `session`, `event` or `update`. */
export type ItemKind = z.infer<typeof itemKindSchema>

/**
 * The proxy's answer to an envelope. Ids are `session_id` for sessions and
 * `event_id` for events and updates; `kinds` and `kind` tell them apart when an
 * event and an update of it travel in one envelope.
 */
export const envelopeResultSchema = z.object({
  accepted: z.array(z.string()),
  rejected: z.array(
    z.object({
      id: z.string(),
      kind: z.optional(itemKindSchema),
      code: z.string(),
      message: z.string(),
    }),
  ),
  /**
   * The kind of each accepted id (same length as `accepted`): an event and an
   * update of it share one id, and one may get through while the other waits.
   * Older proxies leave it out; clients then match by id alone.
   */
  kinds: z.optional(z.array(itemKindSchema)),
  /** What this proxy reads besides the items: `seq`, `gzip`. Older proxies leave it out. */
  supports: z.optional(z.array(z.string())),
})

/** The proxy's per-item answer. */
export type EnvelopeResult = z.infer<typeof envelopeResultSchema>
