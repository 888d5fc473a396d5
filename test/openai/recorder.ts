import type { PollenClient } from '../../src/index.js'

/** A PollenClient stand-in that records each span's start input and end fields; the browser tests send for real. */
export function recordingClient() {
  const events: { start: Record<string, any>; end?: Record<string, any> }[] = []
  const hh = {
    start(input: Record<string, any>) {
      const entry: (typeof events)[number] = { start: input }
      events.push(entry)
      return { id: `00000000-0000-4000-8000-${String(events.length).padStart(12, '0')}`, end: (fields: Record<string, any>) => void (entry.end = fields) }
    },
  } as unknown as PollenClient
  return { hh, events }
}
