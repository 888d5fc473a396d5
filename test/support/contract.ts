/**
 * Writes src/check/contract.ts, the browser's description of the wire
 * contract, from the zod schemas that define it (`npm run contract`; a test
 * fails when the committed file is stale).
 *
 * zod's `z.toJSONSchema` says what it can; the envelope's items are a
 * `z.custom` check that JSON Schema cannot carry, and are written here by hand
 * as "an object", which is what they check. The JSON Schema is then written in
 * the compact form src/check/interpret.ts reads (a fraction of the bytes a
 * browser would otherwise download): any keyword or combination this
 * generator does not know stops it, so the description never says less than
 * the schema.
 */
import * as z from 'zod/mini'
import { UUID_V4 } from '../../src/check/ids.js'
import { envelopeResultSchema, envelopeSchema, eventSchema, sessionSchema, updateSchema } from '../../src/schema/index.js'

type JsonSchema = Record<string, unknown>

const SCHEMAS = { event: eventSchema, update: updateSchema, session: sessionSchema, envelope: envelopeSchema, envelopeResult: envelopeResultSchema }
const SAFE = Number.MAX_SAFE_INTEGER

/** Fails on a keyword `compact` did not consume. */
function only(node: JsonSchema, path: string, known: string[]) {
  const extra = Object.keys(node).filter((key) => !known.includes(key) && key !== '$schema' && key !== 'propertyNames')
  if (extra.length > 0) throw new Error(`${path}: ${extra.join(', ')} not understood by the generator; teach it and src/check/interpret.ts first`)
}

/** One JSON Schema node in the interpreter's form (see `Node` in src/check/interpret.ts). */
function compact(node: JsonSchema, path: string): unknown {
  if (node.enum) {
    only(node, path, ['type', 'enum'])
    return { e: node.enum }
  }
  switch (node.type) {
    case 'string':
      if (node.pattern !== undefined) {
        only(node, path, ['type', 'pattern'])
        if (node.pattern !== UUID_V4.source) throw new Error(`${path}: a pattern other than UUID_V4`)
        return 'u'
      }
      only(node, path, ['type', 'minLength'])
      if (node.minLength !== undefined && node.minLength !== 1) throw new Error(`${path}: minLength ${node.minLength}`)
      return node.minLength === 1 ? 's+' : 's'
    case 'number':
    case 'boolean':
      only(node, path, ['type'])
      return node.type === 'number' ? 'n' : 'b'
    case 'integer':
      only(node, path, ['type', 'minimum', 'maximum'])
      if (node.minimum !== -SAFE || node.maximum !== SAFE) throw new Error(`${path}: an integer range other than the safe one`)
      return 'i'
    case 'array':
      only(node, path, ['type', 'items'])
      return [compact(node.items as JsonSchema, `${path}[]`)]
    case 'object': {
      only(node, path, ['type', 'properties', 'required', 'additionalProperties'])
      if (!node.properties) return 'o'
      const required = new Set((node.required as string[] | undefined) ?? [])
      const fields = Object.entries(node.properties as Record<string, JsonSchema>).map(([name, child]) => [
        required.has(name) ? name : `${name}?`,
        compact(child, `${path}.${name}`),
      ])
      return node.additionalProperties === false ? { f: Object.fromEntries(fields), x: 1 } : { f: Object.fromEntries(fields) }
    }
    default:
      throw new Error(`${path}: type ${String(node.type)} not understood by the generator`)
  }
}

const TITLES: Record<keyof typeof SCHEMAS, string> = {
  event: 'An event, as created (`eventSchema`).',
  update: 'An update of an event or session (`updateSchema`).',
  session: 'A session start (`sessionSchema`).',
  envelope: "The proxy envelope; its items are checked one by one (`envelopeSchema`).",
  envelopeResult: "The proxy's answer (`envelopeResultSchema`).",
}

/** `envelopeResult` → `ENVELOPE_RESULT`. */
export const constantOf = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()

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
    out[name] = compact(json as JsonSchema, name)
  }
  return out
}

/** The text of src/check/contract.ts. */
export function contractSource(): string {
  // One constant per body, so that a bundle keeps only the bodies it checks.
  const bodies = Object.entries(describeContract()).map(([name, node]) => `/** ${TITLES[name as keyof typeof SCHEMAS]} */\nexport const ${constantOf(name)}: Node = ${JSON.stringify(node)}\n`)
  return `// Generated from src/schema/ by \`npm run contract\` (test/support/contract.ts): do not edit.
// A test fails when it is stale. The form is read by src/check/interpret.ts.
import type { Node } from './interpret.js'

${bodies.join('\n')}`
}
