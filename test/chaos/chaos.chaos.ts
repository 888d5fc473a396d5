/**
 * `npm run chaos`: the full runs. The seed is printed; CHAOS_SEED=<seed>
 * replays the same schedule (events, actions, and the fault of each
 * collector request by its order).
 */
import { expect, test } from 'vitest'
import { publish, runChaos } from './run.js'

const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31))

test(`10,000 events and 1,000 feedback updates, two tabs, seed ${seed}`, async () => {
  const report = await runChaos({ seed, events: 10_000, updates: 1_000 })
  publish(report)
  expect(report.lostIds).toEqual([])
  expect(report.events).toMatchObject({ lost: 0, lostAllowed: 0, duplicatesStored: 0 })
  expect(report.updates.missing).toBe(0)
  // Exactly once at the upstream, through the proxy: no creation forwarded twice, no older update last.
  expect(report.events.duplicateDeliveries).toBe(0)
  expect(report.updates.staleFinal).toBe(0)
})

test(`the same with one tab on the memory fallback (no IndexedDB), seed ${seed}`, async () => {
  const report = await runChaos({ seed, events: 10_000, updates: 1_000, memoryTab: true })
  publish(report)
  // The only loss allowed: events of the memory-only tab that was closed or reloaded, each counted.
  expect(report.lostIds).toEqual([])
  expect(report.events.lost).toBe(0)
  expect(report.events.duplicatesStored).toBe(0)
  expect(report.events.stored + report.events.lostAllowed).toBe(report.events.logged)
  expect(report.updates.missing).toBe(0)
  expect(report.events.duplicateDeliveries).toBe(0)
  expect(report.updates.staleFinal).toBe(0)
})
