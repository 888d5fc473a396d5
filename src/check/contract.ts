// Generated from src/schema/ by `npm run contract` (test/support/contract.ts): do not edit.
// A test fails when it is stale. The form is read by src/check/interpret.ts.
import type { Node } from './interpret.js'

/** An event, as created (`eventSchema`). */
export const EVENT: Node = {"f":{"project":"s+","source":"s+","event_name":"s+","event_type":{"e":["model","tool","chain"]},"event_id?":"u","session_id?":"u","parent_id?":"u","children_ids?":["u"],"config":"o","inputs":"o","outputs?":"o","error?":"s","start_time?":"n","end_time?":"i","duration":"n","metadata?":"o","feedback?":"o","metrics?":"o","user_properties?":"o"},"x":1}

/** An update of an event or session (`updateSchema`). */
export const UPDATE: Node = {"f":{"event_id":"u","metadata?":"o","feedback?":"o","metrics?":"o","outputs?":"o","config?":"o","user_properties?":"o","duration?":"n"},"x":1}

/** A session start (`sessionSchema`). */
export const SESSION: Node = {"f":{"project":"s+","session_name":"s+","source":"s+","session_id?":"u","children_ids?":["u"],"config?":"o","inputs?":"o","outputs?":"o","error?":"s","duration?":"n","user_properties?":"o","metrics?":"o","feedback?":"o","metadata?":"o","start_time?":"n","end_time?":"i"},"x":1}

/** The proxy envelope; its items are checked one by one (`envelopeSchema`). */
export const ENVELOPE: Node = {"f":{"sessions?":["o"],"events?":["o"],"updates?":["o"],"seq?":["i"]},"x":1}

/** The proxy's answer (`envelopeResultSchema`). */
export const ENVELOPE_RESULT: Node = {"f":{"accepted":["s"],"rejected":[{"f":{"id":"s","kind?":{"e":["session","event","update"]},"code":"s","message":"s"}}],"kinds?":[{"e":["session","event","update"]}],"supports?":["s"]}}
