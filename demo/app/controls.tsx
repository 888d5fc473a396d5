import { useState } from 'preact/hooks'
import type { Fault } from '../api.js'
import { simulateOffline } from '../offline.js'
import { switchFault } from '../server-status.js'
import { devServer, offline, stats, status } from '../state.js'
import { useNow } from './use-now.js'

/** Seconds each fault lasts. */
const FAULT_S = 20

/** The collector's fault switch: two ways to fail for 20 s, and a countdown while one runs. */
function FaultButtons() {
  const [error, setError] = useState<string | null>(null)
  const fault = status.value?.fault
  const now = useNow(fault?.until !== undefined, 500)
  const active = fault && fault.kind !== 'none' ? fault : undefined
  const honeyhive = status.value?.upstream === 'honeyhive'

  const set = (kind: Fault['kind']) => {
    setError(null)
    switchFault(kind, FAULT_S).catch((e: Error) => setError(`The fault switch failed: ${e.message}`))
  }
  if (honeyhive) return <p class="note">The fault switch acts on the local collector, which is not in use: events go to HoneyHive.</p>
  if (devServer.value === false) return <p class="note">Making the collector fail on purpose needs the dev server (npm start).</p>
  return (
    <div class="control">
      <div class="buttons">
        <button type="button" onClick={() => set('500')} disabled={!status.value}>
          Collector fails for {FAULT_S} s: 500s
        </button>
        <button type="button" onClick={() => set('429')} disabled={!status.value}>
          Collector fails for {FAULT_S} s: 429 with Retry-After
        </button>
      </div>
      {active && (
        <p class="pill warn fault-state">
          <span>
            Collector answering {active.kind === '429' ? '429 with Retry-After' : '500'}
            {active.until !== undefined && ` · ${Math.max(0, Math.ceil((active.until - now) / 1000))} s left`}
          </span>
          <button type="button" class="link" onClick={() => set('none')}>
            Stop
          </button>
        </p>
      )}
      {error && <p class="error">{error}</p>}
    </div>
  )
}

/** Ways to make delivery hard, to watch the client ride them out. */
export function Controls() {
  const pending = stats.value?.pending ?? 0
  return (
    <div class="controls">
      <div class="control">
        <button
          type="button"
          role="switch"
          class="switch"
          aria-checked={offline.value}
          aria-describedby="offline-note"
          onClick={() => {
            offline.value = !offline.value
            simulateOffline(offline.value)
          }}
        >
          <span class="track" aria-hidden="true" />
          Go offline
        </button>
        <p id="offline-note" class="note">
          Simulated in this page: requests to the proxy fail like a lost connection, and the beacon refuses.
        </p>
      </div>
      <FaultButtons />
      <div class="control">
        <button type="button" onClick={() => location.reload()}>
          Reload now{pending > 0 ? ` (${pending} pending)` : ''}
        </button>
        <p class="note">Right after an answer, while items are pending: they leave by beacon or wait in IndexedDB for the next page. None is lost.</p>
      </div>
    </div>
  )
}
