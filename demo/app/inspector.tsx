import type { PollenClient } from 'pollen'
import { panel, status } from '../state.js'
import { ClientStatsView } from './client-stats.js'
import { Controls } from './controls.js'
import { EventTree } from './event-tree.js'
import { useMedia } from './use-media.js'
import { useSessionEvents } from './use-session-events.js'

/** Wide enough for the inspector beside the chat; keep in step with styles/layout.css. */
export const WIDE = '(min-width: 960px)'

export interface InspectorProps {
  hh: PollenClient
  project: string
}

/** The side panel: the client's live stats, the fault controls, and the session as the collector stored it. */
export function Inspector({ hh, project }: InspectorProps) {
  const shown = useMedia(WIDE) || panel.value === 'inspector'
  const honeyhive = status.value?.upstream === 'honeyhive'
  useSessionEvents(hh, project, shown && !honeyhive)

  return (
    <section class="inspector" aria-label="Inspector">
      <section aria-labelledby="client-title">
        <h2 id="client-title">Client</h2>
        <ClientStatsView hh={hh} />
      </section>
      <section aria-labelledby="controls-title">
        <h2 id="controls-title">Try to lose an event</h2>
        <Controls />
      </section>
      <section aria-labelledby="collector-title">
        <h2 id="collector-title">{honeyhive ? 'HoneyHive' : 'Collector: this session'}</h2>
        {honeyhive ? (
          <p class="note">
            Events go to <strong>HoneyHive</strong> (the server has HH_API_KEY set); the local collector is not used. Find
            them in HoneyHive under project <strong>{project}</strong>, session <code>{hh.sessionId}</code>.
          </p>
        ) : (
          <EventTree sessionId={hh.sessionId} />
        )}
      </section>
    </section>
  )
}
