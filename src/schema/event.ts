import * as z from 'zod/mini'
import { nameSchema, objectSchema, uuidSchema } from './ids.js'

/** The three event types HoneyHive accepts on create (`session` is refused). */
export const eventTypeSchema = z.enum(['model', 'tool', 'chain'])

/**
 * HoneyHive's `CreateEventRequest`, as sent to `POST /events/batch` and in the
 * proxy envelope. Unknown keys are refused so that typos such as `eventName`
 * surface at once instead of vanishing upstream.
 */
export const eventSchema = z.strictObject({
  project: nameSchema,
  source: nameSchema,
  event_name: nameSchema,
  event_type: eventTypeSchema,
  event_id: z.optional(uuidSchema),
  session_id: z.optional(uuidSchema),
  parent_id: z.optional(uuidSchema),
  children_ids: z.optional(z.array(uuidSchema)),
  config: objectSchema,
  inputs: objectSchema,
  outputs: z.optional(objectSchema),
  error: z.optional(z.string()),
  start_time: z.optional(z.number()),
  end_time: z.optional(z.int()),
  duration: z.number(),
  metadata: z.optional(objectSchema),
  feedback: z.optional(objectSchema),
  metrics: z.optional(objectSchema),
  user_properties: z.optional(objectSchema),
})

/** A HoneyHive event as it goes on the wire. */
export type HoneyHiveEvent = z.infer<typeof eventSchema>

/** The event type: `'model' | 'tool' | 'chain'`. */
export type EventType = z.infer<typeof eventTypeSchema>
