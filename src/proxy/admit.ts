import { formatIssues, type PollenIssue } from '../errors.js'
import { EVENT, isObject, SESSION, UPDATE, validate } from '../check/index.js'
import type { ItemKind } from '../schema/index.js'

type Json = Record<string, unknown>

/** What the proxy imposes on the items of an envelope. */
export interface AdmitPolicy {
  project: string
  source?: string
  /** Fields (besides `event_id`) a browser may update. */
  allowedUpdate: ReadonlySet<string>
  /** `user_properties` that `authorize` vouched for; they override the browser's. */
  verified?: Json
}

/** An item the proxy will not forward, and why. */
export interface Refusal {
  item: Json
  code: 'invalid' | 'forbidden-field'
  message: string
}

const BODIES = { session: SESSION, event: EVENT, update: UPDATE }

/**
 * Prepares the items of one kind for forwarding: forces the project (and
 * source), keeps browsers to the update fields they may touch, vouches for the
 * user, then validates each with the schema and the time rules. Each item is
 * judged alone, so one bad item never costs the others.
 */
export function admitItems(kind: ItemKind, items: Json[] | undefined, policy: AdmitPolicy): { valid: Json[]; from: number[]; refused: Refusal[] } {
  const valid: Json[] = []
  /** Where each valid item was in `items`. */
  const from: number[] = []
  const refused: Refusal[] = []
  const idField = kind === 'session' ? 'session_id' : 'event_id'
  for (const [index, raw] of (items ?? []).entries()) {
    const item: Json = { ...raw }
    if (kind !== 'update') {
      item.project = policy.project
      if (policy.source !== undefined) item.source = policy.source
    } else {
      const forbidden = Object.keys(item).filter((field) => field !== 'event_id' && !policy.allowedUpdate.has(field))
      if (forbidden.length > 0) {
        refused.push({ item, code: 'forbidden-field', message: `Browsers may not update ${forbidden.map((f) => `"${f.slice(0, 100)}"`).join(', ')}` })
        continue
      }
    }
    // Only a real object is merged: anything else is left for validation to refuse.
    const mergeable = item.user_properties === undefined || isObject(item.user_properties)
    if (policy.verified && mergeable && (kind !== 'update' || item.feedback !== undefined || item.user_properties !== undefined)) {
      item.user_properties = { ...(item.user_properties as Json | undefined), ...policy.verified }
    }
    // The client always names its items: the answer reports them by id.
    const issues: PollenIssue[] = item[idField] === undefined ? [{ path: [idField], message: 'required: expected a lowercase UUIDv4' }] : validate(BODIES[kind], item)
    if (issues.length > 0) refused.push({ item, code: 'invalid', message: formatIssues(issues) })
    else {
      valid.push(item)
      from.push(index)
    }
  }
  return { valid, from, refused }
}
