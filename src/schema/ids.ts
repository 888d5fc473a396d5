import * as z from 'zod/mini'
import { UUID_V4 } from '../check/ids.js'

export { UUID_V4 }

/** A lowercase UUIDv4, as HoneyHive uses for event and session ids. */
export const uuidSchema = z.string().check(z.regex(UUID_V4))

/** A non-empty string. */
export const nameSchema = z.string().check(z.minLength(1))

/** A JSON object with string keys (HoneyHive's free-form `config`, `inputs`, `metadata`, …). */
export const objectSchema = z.record(z.string(), z.unknown())
