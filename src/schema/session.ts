import * as z from 'zod/mini'
import { nameSchema, objectSchema, uuidSchema } from './ids.js'

/** HoneyHive's `SessionStartRequest`, the body of `POST /session/start` under `session`. */
export const sessionSchema = z.strictObject({
  project: nameSchema,
  session_name: nameSchema,
  source: nameSchema,
  session_id: z.optional(uuidSchema),
  children_ids: z.optional(z.array(uuidSchema)),
  config: z.optional(objectSchema),
  inputs: z.optional(objectSchema),
  outputs: z.optional(objectSchema),
  error: z.optional(z.string()),
  duration: z.optional(z.number()),
  user_properties: z.optional(objectSchema),
  metrics: z.optional(objectSchema),
  feedback: z.optional(objectSchema),
  metadata: z.optional(objectSchema),
  start_time: z.optional(z.number()),
  end_time: z.optional(z.int()),
})

/** A session start as it goes on the wire. */
export type SessionStart = z.infer<typeof sessionSchema>
