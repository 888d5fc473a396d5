/**
 * Writes src/check/contract.ts, the browser's description of the wire
 * contract, from the zod schemas that define it (`npm run contract`; a test
 * fails when the committed file is stale). zod's `z.toJSONSchema` says what
 * it can; the envelope's items are a `z.custom` check that JSON Schema cannot
 * carry, and are written here by hand as "an object", which is what they check.
 */
import * as z from 'zod/mini'
import { envelopeResultSchema, envelopeSchema, eventSchema, sessionSchema, updateSchema } from '../../src/schema/index.js'

/** The JSON Schema keywords the interpreter in src/check/interpret.ts reads; any other stops the generator. */
const KNOWN = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'minLength', 'pattern', 'minimum', 'maximum'])
/** Keywords that say nothing the interpreter needs (a record's keys are strings anyway). */
const DROPPED = new Set(['$schema', 'propertyNames'])

const SCHEMAS = { event: eventSchema, update: updateSchema, session: sessionSchema, envelope: envelopeSchema, envelopeResult: envelopeResultSchema }

function prune(node: Record<string, unknown>, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key)) continue
    if (!KNOWN.has(key)) throw new Error(`${path}: JSON Schema keyword "${key}" is not read by src/check/interpret.ts; teach it there first`)
    if (key === 'properties') out[key] = Object.fromEntries(Object.entries(value as object).map(([name, child]) => [name, prune(child, `${path}.${name}`)]))
    else if (key === 'items') out[key] = prune(value as Record<string, unknown>, `${path}[]`)
    // `{}` (anything) is the default: only `false` says something.
    else if (key === 'additionalProperties') {
      if (value === false) out[key] = false
    } else out[key] = value
  }
  return out
}

/** The description of each body, as the interpreter reads it. */
export function describeContract(): Record<keyof typeof SCHEMAS, unknown> {
  const out = {} as Record<keyof typeof SCHEMAS, unknown>
  for (const [name, schema] of Object.entries(SCHEMAS) as [keyof typeof SCHEMAS, z.ZodMiniType][]) {
    const json = z.toJSONSchema(schema, {
      io: 'input',
      unrepresentable: 'any',
      // Hand-written: z.custom items of the envelope are checked to be objects.
      override: (ctx) => {
        if ((ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def.type === 'custom') ctx.jsonSchema.type = 'object'
      },
    })
    out[name] = prune(json as Record<string, unknown>, name)
  }
  return out
}

/** The text of src/check/contract.ts. */
export function contractSource(): string {
  const body = JSON.stringify(describeContract(), null, 2)
  return `// Generated from src/schema/ by \`npm run contract\`: do not edit. A test fails when it is stale.
import type { Node } from './interpret.js'

/** The wire contract as JSON Schema (the subset src/check/interpret.ts reads), one entry per body. */
export const CONTRACT = ${body} as const satisfies Record<string, Node>
`
}
