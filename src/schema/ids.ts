import * as z from 'zod/mini'

/** HoneyHive ids are lowercase UUIDv4 strings. */
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** A lowercase UUIDv4, as HoneyHive uses for event and session ids. */
export const uuidSchema = z.string().check(z.regex(UUID_V4))

/** A non-empty string. */
export const nameSchema = z.string().check(z.minLength(1))

/** A JSON object with string keys (HoneyHive's free-form `config`, `inputs`, `metadata`, …). */
export const objectSchema = z.record(z.string(), z.unknown())
