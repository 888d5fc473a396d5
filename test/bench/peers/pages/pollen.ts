/** Pollen in proxy mode, default options: `log()` of the seed event. */
import { createClient, type LogInput, type PollenClient } from 'pollen'
import type { Peer } from './peer.js'

let hh: PollenClient

export const peer: Peer = {
  async start(options) {
    hh = createClient({ project: 'Simple RAG', endpoint: '/api/pollen', ...options })
    // Resolves once the queue's storage (IndexedDB) is open.
    await hh.flush()
  },
  // Without ids: log() fills event_id, session_id and parent_id, as the others fill theirs.
  input: (seed) => seed,
  call: (input) => hh.log(input as LogInput),
  discarded: () => hh.stats().dropped,
  report: () => hh.stats(),
}
