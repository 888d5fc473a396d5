/**
 * A reduced, seeded chaos run (the full one is `npm run chaos`): 2 tabs, a
 * collector failing 30% of requests, reloads, closes, offline periods.
 */
import { expect, test } from 'vitest'
import { publish, runChaos } from '../chaos/run.js'

test('nothing accepted is lost and nothing is stored twice, whatever the tabs, the network and the collector do', async () => {
  const report = await runChaos({ seed: Number(process.env.CHAOS_SEED ?? 20261127), events: 1200, updates: 120, stallMs: 1000, actionScale: 3, drainTimeoutMs: 20_000 })
  publish(report)
  expect(report.lostIds).toEqual([])
  expect(report.events).toMatchObject({ lost: 0, lostAllowed: 0, duplicatesStored: 0 })
  expect(report.events.stored).toBe(report.events.logged)
  expect(report.updates.missing).toBe(0)
  // Exactly once at the upstream: the proxy forwards no creation twice (stored-then-reset faults
  // included), and no older update of an event lands after a newer one.
  expect(report.events.duplicateDeliveries).toBe(0)
  expect(report.updates.staleFinal).toBe(0)
  // The run did meet the chaos it names.
  expect(Object.values(report.faults).every((count) => count > 0)).toBe(true)
  expect(report.actions.reloads).toBeGreaterThan(0)
  expect(report.actions.closes).toBeGreaterThan(0)
  expect(report.actions.offlinePeriods).toBeGreaterThan(0)
}, 180_000)
