import type { PollenClient } from 'pollen'
import { lastError, offline, stats } from '../state.js'
import { useNow } from './use-now.js'

function Stat({ label, value, tone }: { label: string; value: number; tone?: 'warn' | 'bad' }) {
  return (
    <div class={value > 0 && tone ? `stat ${tone}` : 'stat'}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  )
}

/** `hh.stats()` as it changes (from `hh.subscribe()`), with the retry countdown. */
export function ClientStatsView({ hh }: { hh: PollenClient }) {
  const current = stats.value
  const now = useNow(current?.retryAt !== undefined)
  if (!current) return null
  const drops = Object.entries(current.drops)
  const retryIn = current.retryAt !== undefined ? Math.max(0, (current.retryAt - now) / 1000) : undefined

  return (
    <div class="client-stats">
      <dl class="stats">
        <Stat label="Pending" value={current.pending} tone="warn" />
        <Stat label="Sent" value={current.sent} />
        <Stat label="Retrying" value={current.retrying} tone="warn" />
        <Stat label="Dropped" value={current.dropped} tone="bad" />
      </dl>
      <p class="state-line">
        {offline.value ? (
          <span class="pill warn">Offline: waiting for the connection</span>
        ) : retryIn !== undefined ? (
          <span class="pill warn">Server failing: next try in {retryIn.toFixed(1)} s</span>
        ) : current.pending > 0 ? (
          <span class="pill">Sending…</span>
        ) : (
          <span class="pill ok">All delivered</span>
        )}
      </p>
      <dl class="facts">
        <dt>Storage</dt>
        <dd>{current.storage === 'indexeddb' ? 'IndexedDB' : 'memory (IndexedDB unavailable)'}</dd>
        <dt>Session</dt>
        <dd>
          <code title={hh.sessionId}>{hh.sessionId.slice(0, 8)}…</code>
        </dd>
        {drops.length > 0 && (
          <>
            <dt>Drops</dt>
            <dd>{drops.map(([reason, count]) => `${reason} × ${count}`).join(', ')}</dd>
          </>
        )}
        {lastError.value && (
          <>
            <dt>Last error</dt>
            <dd class="error">{lastError.value}</dd>
          </>
        )}
      </dl>
    </div>
  )
}
