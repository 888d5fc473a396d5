/**
 * Update fields HoneyHive merges key by key into the event's (writing a key
 * again overwrites it). The others it takes, `outputs` and `duration`, replace
 * the event's value; `inputs` cannot be updated at all.
 */
export const MERGED_FIELDS: ReadonlySet<string> = new Set(['metadata', 'feedback', 'metrics', 'config', 'user_properties'])

type Fields = Record<string, unknown>

/**
 * `target` after `update`, as HoneyHive applies a `PUT /events`: merged
 * fields merge into what `target` holds, every other field replaces it.
 * Returns a new object; neither argument is changed.
 */
export function applyUpdate<T extends Fields>(target: T, update: Fields): T {
  const next: Fields = { ...target }
  for (const [field, value] of Object.entries(update)) {
    if (value === undefined) continue
    const previous = next[field]
    next[field] = MERGED_FIELDS.has(field) && previous && typeof previous === 'object' ? { ...previous, ...(value as object) } : value
  }
  return next as T
}
