/**
 * posthog-js as an app that only captures its own events would set it up:
 * no autocapture, pageviews or session recording; everything else default
 * (request batching, gzip, persistence 'localStorage+cookie', rate limit).
 */
import posthog from 'posthog-js'
import type { Peer } from './peer.js'

export const peer: Peer = {
  start: (options) =>
    new Promise((resolve) => {
      posthog.init('phc_pollen_bench', {
        api_host: `${location.origin}/ph`,
        autocapture: false,
        capture_pageview: false,
        disable_session_recording: true,
        ...options,
        loaded: () => resolve(),
      })
    }),
  // capture(event name, properties): the seed's other fields are the properties.
  input: ({ event_name: _name, ...properties }) => properties,
  call: (input) => posthog.capture('Model Completion', input as Record<string, unknown>),
}
