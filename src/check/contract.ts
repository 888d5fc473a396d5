// Generated from src/schema/ by `npm run contract` (test/support/contract.ts): do not edit.
// A test fails when it is stale. The form is read by src/check/interpret.ts.
import type { Node } from './interpret.js'

/** The wire contract, one entry per body. */
export const CONTRACT: Record<'event' | 'update' | 'session' | 'envelope' | 'envelopeResult', Node> = {
  event: {"f":{"project":"s+","source":"s+","event_name":"s+","event_type":{"e":["model","tool","chain"]},"event_id?":"u","session_id?":"u","parent_id?":"u","children_ids?":["u"],"config":"o","inputs":"o","outputs?":"o","error?":"s","start_time?":"n","end_time?":"i","duration":"n","metadata?":"o","feedback?":"o","metrics?":"o","user_properties?":"o"},"x":1},
  update: {"f":{"event_id":"u","metadata?":"o","feedback?":"o","metrics?":"o","outputs?":"o","config?":"o","user_properties?":"o","duration?":"n"},"x":1},
  session: {"f":{"project":"s+","session_name":"s+","source":"s+","session_id?":"u","children_ids?":["u"],"config?":"o","inputs?":"o","outputs?":"o","error?":"s","duration?":"n","user_properties?":"o","metrics?":"o","feedback?":"o","metadata?":"o","start_time?":"n","end_time?":"i"},"x":1},
  envelope: {"f":{"sessions?":["o"],"events?":["o"],"updates?":["o"]},"x":1},
  envelopeResult: {"f":{"accepted":["s"],"rejected":[{"f":{"id":"s","kind?":{"e":["session","event","update"]},"code":"s","message":"s"}}]}},
}
