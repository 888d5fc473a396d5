/** mixpanel-browser with its defaults (batch_requests on, persistence 'cookie'): `track()` of the seed event. */
import mixpanel from 'mixpanel-browser'
import type { Peer } from './peer.js'

export const peer: Peer = {
  start: (options) =>
    new Promise((resolve) => {
      mixpanel.init('pollen-bench-token', { api_host: `${location.origin}/mp`, ...options, loaded: () => resolve() })
    }),
  // track(event name, properties): the seed's other fields are the properties.
  input: ({ event_name: _name, ...properties }) => properties,
  call: (input) => mixpanel.track('Model Completion', input as Record<string, unknown>),
}
