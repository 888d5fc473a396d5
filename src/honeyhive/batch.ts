/**
 * HoneyHive answers `POST /events/batch` with this status and
 * `{event_ids, errors, success: false}` when it created only some of the
 * events: a partial success, not a failure of the whole batch.
 */
export const PARTIAL_SUCCESS_STATUS = 500

/** What a partial success says: the ids created (the others were not) and HoneyHive's messages. */
export interface PartialSuccess {
  created: ReadonlySet<unknown>
  errors: unknown[]
}

/** Reads the body of a {@link PARTIAL_SUCCESS_STATUS} answer; undefined when it is a plain failure. */
export function readPartialSuccess(answer: unknown): PartialSuccess | undefined {
  const { event_ids: ids, errors } = (answer ?? {}) as { event_ids?: unknown; errors?: unknown }
  if (!Array.isArray(ids)) return undefined
  return { created: new Set(ids), errors: Array.isArray(errors) ? errors : [] }
}

/**
 * The answer to `POST /events/batch` as HoneyHive gives it: 200 with every
 * id, or the partial success when some events were refused.
 */
export function batchAnswer(created: string[], errors: string[], sessionId?: string): { status: number; body: unknown } {
  if (errors.length > 0) return { status: PARTIAL_SUCCESS_STATUS, body: { event_ids: created, errors, success: false } }
  return { status: 200, body: { event_ids: created, session_id: sessionId, success: true } }
}
