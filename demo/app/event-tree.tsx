import type { StoredEvent } from '../api.js'
import { collector } from '../state.js'
import { EventRow } from './event-row.js'

interface Node {
  event: StoredEvent
  children: Node[]
}

/** A turn's order: retrieval before the completion, even when both started in the same millisecond. */
const TYPE_ORDER = ['session', 'chain', 'tool', 'model']

const byStart = (a: Node, b: Node) =>
  (a.event.start_time ?? 0) - (b.event.start_time ?? 0) ||
  TYPE_ORDER.indexOf(a.event.event_type) - TYPE_ORDER.indexOf(b.event.event_type)

/**
 * Nests the session's events by `parent_id`: session → chain → tool and
 * model. An event whose parent is not stored sits at the top: a turn's chain
 * is logged after its children, and never if a reload cut the turn short.
 */
function nest(events: StoredEvent[], sessionId: string): Node[] {
  const nodes = new Map(events.map((event) => [event.event_id, { event, children: [] as Node[] }]))
  const roots: Node[] = []
  for (const node of nodes.values()) {
    const parent = node.event.event_id === sessionId ? undefined : nodes.get(node.event.parent_id ?? '')
    ;(parent ? parent.children : roots).push(node)
  }
  for (const node of nodes.values()) node.children.sort(byStart)
  // The session first, then anything waiting for its parent.
  return roots.sort((a, b) => Number(b.event.event_id === sessionId) - Number(a.event.event_id === sessionId) || byStart(a, b))
}

/** `top`: the first level, where anything but the session is waiting for its parent. */
function Branch({ nodes, top }: { nodes: Node[]; top: boolean }) {
  return (
    <>
      {nodes.map(({ event, children }) => (
        <li key={event.event_id}>
          <EventRow event={event} orphan={top && event.event_type !== 'session'} />
          {children.length > 0 && (
            <ul>
              <Branch nodes={children} top={false} />
            </ul>
          )}
        </li>
      ))}
    </>
  )
}

/** The session as the collector stored it, with feedback merged in; each row opens to its raw JSON. */
export function EventTree({ sessionId }: { sessionId: string }) {
  const { events, error, at } = collector.value
  const roots = nest(events, sessionId)
  return (
    <div class="collector">
      <p class="note">
        {error ? (
          <span class="error">The collector answered {error}; showing its last answer.</span>
        ) : at ? (
          `${events.length} stored event${events.length === 1 ? '' : 's'}, read ${new Date(at).toLocaleTimeString()}.`
        ) : (
          'Reading the collector…'
        )}
      </p>
      {roots.length === 0 ? (
        at && <p class="empty">Nothing stored yet: ask a question, and its events arrive here within a few seconds.</p>
      ) : (
        <ul class="tree" aria-label="Stored events">
          <Branch nodes={roots} top />
        </ul>
      )}
    </div>
  )
}
