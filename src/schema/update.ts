import * as z from 'zod/mini'
import { objectSchema, uuidSchema } from './ids.js'

/**
 * HoneyHive's flat `UpdateEventRequest` for `PUT /events`. Objects merge key by
 * key upstream; `outputs` is replaced; `inputs` cannot be updated.
 */
export const updateSchema = z.strictObject({
  event_id: uuidSchema,
  metadata: z.optional(objectSchema),
  feedback: z.optional(objectSchema),
  metrics: z.optional(objectSchema),
  outputs: z.optional(objectSchema),
  config: z.optional(objectSchema),
  user_properties: z.optional(objectSchema),
  duration: z.optional(z.number()),
})

/** An update of an existing event (or session) as it goes on the wire. */
export type EventUpdate = z.infer<typeof updateSchema>

/** The fields an update may carry besides `event_id`. */
export type UpdateFields = Omit<EventUpdate, 'event_id'>
