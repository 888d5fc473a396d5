import { expect, test } from 'vitest'
import { splitUpdates } from '../../src/honeyhive/index.js'

const updates = [{ event_id: 'a' }, { event_id: 'b' }]

test('updates of events whose creation waits are held; the others may go', () => {
  const waiting = new Set(['b'])
  expect(splitUpdates(updates, (update) => waiting.has(update.event_id))).toEqual({ ready: [{ event_id: 'a' }], held: [{ event_id: 'b' }] })
})

test('a sender that does not tell targets apart holds them all while any creation waits', () => {
  expect(splitUpdates(updates, () => true)).toEqual({ ready: [], held: updates })
  expect(splitUpdates(updates, () => false)).toEqual({ ready: updates, held: [] })
})
