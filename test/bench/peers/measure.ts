/**
 * What runs inside a library's page, handed to `page.evaluate`: each function
 * must stand alone (Playwright sends its source). The page has `window.peer`
 * (see pages/peer.ts); `prepare` adds `window.inputs`.
 */
import type { Peer } from './pages/peer.js'

interface PeerWindow {
  peer: Peer
  inputs: unknown[]
  longTasks: { at: number; ms: number }[]
  longTaskObserver: PerformanceObserver
}

/**
 * Starts the library and makes `pool` inputs, each its own clone of the seed
 * (as an app's events are separate objects). Returns the clock's step in µs.
 */
export async function prepare({ seed, pool, options }: { seed: Record<string, unknown>; pool: number; options?: Record<string, unknown> }) {
  const w = window as unknown as PeerWindow
  await w.peer.start(options)
  w.inputs = Array.from({ length: pool }, () => w.peer.input(structuredClone(seed)))
  let step = Infinity
  for (let i = 0, last = performance.now(); i < 100_000; i++) {
    const now = performance.now()
    if (now !== last) step = Math.min(step, now - last)
    last = now
  }
  return { clockStepUs: step * 1000, isolated: crossOriginIsolated }
}

/**
 * A number of calls, cut short after `ms` milliseconds, or as soon as the
 * pause between two tasks took over `stallMs`: the page had stopped
 * responding (mixpanel-browser's queue work does that), and more calls would
 * only pile up more of it. Both are checked between tasks.
 */
interface Budget {
  calls: number
  ms: number
  stallMs: number
}

/**
 * Calls the library `perTask` times per task with a `setTimeout(0)` between
 * tasks, so that its own timers and network callbacks run in between as they
 * would in an app, until the budget is spent; with `time`, each call is timed
 * alone. Returns the calls made, how many returned something (the library
 * took the event: posthog-js returns nothing for an event it drops), each
 * timed call's µs, and the pause that stopped the calls if one did.
 */
export async function pacedCalls({ budget, perTask, time }: { budget: Budget; perTask: number; time: boolean }) {
  const w = window as unknown as PeerWindow & { next?: number }
  const { peer, inputs } = w
  const pause = () => new Promise((resolve) => setTimeout(resolve, 0))
  const us: number[] = []
  let calls = 0
  let returned = 0
  let stalledMs: number | undefined
  for (const end = performance.now() + budget.ms; calls < budget.calls && performance.now() < end && stalledMs === undefined; ) {
    const input = inputs[(w.next = (w.next ?? 0) + 1) % inputs.length]
    const t0 = performance.now()
    const result = peer.call(input)
    if (time) us.push((performance.now() - t0) * 1000)
    if (result !== undefined) returned++
    if (++calls % perTask === 0) {
      const p0 = performance.now()
      await pause()
      if (performance.now() - p0 > budget.stallMs) stalledMs = performance.now() - p0
    }
  }
  return { calls, returned, us, stalledMs }
}

/**
 * Up to `budget.calls` calls, `perTask` per task with a `setTimeout(0)`
 * between, within the budget's time and stall limits, under a long-task
 * observer that keeps observing after it returns (read it with
 * `takeLongTasks`). Times are epoch ms, comparable with the server's Date.now().
 */
export async function burst({ budget, perTask }: { budget: Budget; perTask: number }) {
  const w = window as unknown as PeerWindow
  const { peer, inputs } = w
  w.longTasks = []
  w.longTaskObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) w.longTasks.push({ at: performance.timeOrigin + entry.startTime, ms: entry.duration })
  })
  w.longTaskObserver.observe({ type: 'longtask' })
  const pause = () => new Promise((resolve) => setTimeout(resolve, 0))
  const now = () => performance.timeOrigin + performance.now()
  const start = now()
  let calls = 0
  let returned = 0
  let callMs = 0
  let stalledMs: number | undefined
  while (calls < budget.calls && now() - start < budget.ms && stalledMs === undefined) {
    const t0 = performance.now()
    for (const last = Math.min(budget.calls, calls + perTask); calls < last; calls++) {
      if (peer.call(inputs[calls % inputs.length]) !== undefined) returned++
    }
    callMs += performance.now() - t0
    const p0 = performance.now()
    await pause()
    if (performance.now() - p0 > budget.stallMs) stalledMs = performance.now() - p0
  }
  return { start, called: now(), calls, returned, callMs, stalledMs }
}

/** The long tasks seen since `burst` started, as epoch ms and duration; stops observing. */
export function takeLongTasks() {
  const w = window as unknown as PeerWindow
  for (const entry of w.longTaskObserver.takeRecords()) w.longTasks.push({ at: performance.timeOrigin + entry.startTime, ms: entry.duration })
  w.longTaskObserver.disconnect()
  return w.longTasks
}

/** Events the library says it discarded (0 when it does not say), and its own report. */
export function libraryCounts() {
  const { peer } = window as unknown as PeerWindow
  return { counts: typeof peer.discarded === 'function', discarded: peer.discarded?.() ?? 0, report: peer.report?.() }
}
