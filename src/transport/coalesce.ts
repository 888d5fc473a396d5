import { utf8Length } from '../check/index.js'
import { applyUpdate } from '../honeyhive/index.js'
import type { WireItem } from './wire.js'

/**
 * Folds several updates of one event into one, as HoneyHive would apply them
 * in order: merged objects merge key by key, `outputs` and `duration` take the
 * last value. Saves requests (direct mode has no batch update) and keeps one
 * update per event per request, so that answers by id are unambiguous.
 *
 * Returns the items to send and, for each folded item, the items it stands for.
 * A folded item goes where the first of its updates was, under the key of the
 * last: its sequence (see `envelopeRequest`) is the newest update's.
 */
export function coalesceUpdates(items: WireItem[]): { items: WireItem[]; members: Map<string, WireItem[]> } {
  const groups = new Map<string, WireItem[]>()
  for (const item of items) {
    if (item.kind !== 'update') continue
    const group = groups.get(item.id)
    if (group) group.push(item)
    else groups.set(item.id, [item])
  }
  const members = new Map<string, WireItem[]>()
  const folded = items.flatMap((item) => {
    const group = item.kind === 'update' ? groups.get(item.id)! : [item]
    if (group.length === 1) return [item]
    // The group goes where its first update was.
    if (group[0] !== item) return []
    let merged: Record<string, unknown> = {}
    for (const member of group) merged = applyUpdate(merged, JSON.parse(member.json) as Record<string, unknown>)
    const json = JSON.stringify(merged)
    const { key } = group[group.length - 1]!
    members.set(key, group)
    return [{ ...item, key, json, bytes: utf8Length(json) }]
  })
  return { items: members.size > 0 ? folded : items, members }
}
