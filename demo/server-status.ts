import { fetchStatus, setFault, type DemoStatus, type Fault } from './api.js'
import { devServer, status } from './state.js'

/** The static build's server: its proxy forwards to its collector, and the local assistant answers. */
const STATIC: DemoStatus = { upstream: 'collector', llm: { provider: 'local' }, fault: { kind: 'none' } }

let expiry: ReturnType<typeof setTimeout> | undefined

/** Stores a status and, while a fault runs, asks again when it should have ended. */
function show(next: DemoStatus) {
  status.value = next
  clearTimeout(expiry)
  if (next.fault.until) expiry = setTimeout(() => void refreshStatus(), Math.max(0, next.fault.until - Date.now()) + 250)
}

/** Reads `GET /api/demo/status` into the {@link status} signal; keeps the last one if the server is unreachable. */
export async function refreshStatus(): Promise<void> {
  try {
    const next = await fetchStatus()
    devServer.value = next !== undefined
    show(next ?? STATIC)
  } catch {
    // No badges, and no fault buttons, until a later call succeeds.
  }
}

/** Turns the collector's fault switch, then shows the new status. */
export async function switchFault(kind: Fault['kind'], seconds = 20): Promise<void> {
  show(await setFault(kind, seconds))
}
