import type { PollenIssue } from '../errors.js'

/** Deepest nesting accepted in a value; deeper input is refused, not truncated. */
export const MAX_DEPTH = 64
const MAX_ISSUES = 10

/** Whether `value` is an object and not an array (of any class: {@link isPlainObject} is stricter). */
export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Whether `value` is an object literal or `Object.create(null)`: an object JSON carries whole (not an array, Date, Map, …). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** `typeof`-like name of a value for messages: `null`, `array`, `Map`, `NaN`, … */
export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? 'number' : String(value)
  if (typeof value === 'object' && !isPlainObject(value)) return (Object.getPrototypeOf(value)?.constructor?.name as string | undefined) ?? 'object'
  return typeof value
}

/**
 * Finds what `JSON.stringify` would silently mangle or throw on: functions,
 * symbols, BigInt, NaN and ±Infinity, `undefined` inside arrays (it becomes
 * `null`), class instances such as Date or Map (they lose data), cycles, and
 * nesting deeper than {@link MAX_DEPTH}. Undefined object properties are fine:
 * they are simply omitted.
 */
export function findJsonIssues(value: unknown, path: (string | number)[] = []): PollenIssue[] {
  const issues: PollenIssue[] = []
  if (isCleanJson(value, 0)) return issues
  // The objects on the path to the current value. An array, not a Set: paths
  // are a few levels deep, and putting an object in a Set makes V8 give it an
  // identity hash, an allocation for every object of every logged event.
  const ancestors: object[] = []

  const visit = (v: unknown, depth: number): void => {
    if (issues.length >= MAX_ISSUES) return
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return
      case 'number':
        if (!Number.isFinite(v)) issues.push({ path: [...path], message: `expected a finite number, got ${kindOf(v)}` })
        return
      case 'object': {
        if (v === null) return
        if (depth >= MAX_DEPTH) {
          issues.push({ path: [...path], message: `expected at most ${MAX_DEPTH} levels of nesting` })
          return
        }
        if (ancestors.includes(v)) {
          issues.push({ path: [...path], message: 'expected a JSON value, got a circular reference' })
          return
        }
        const isArray = Array.isArray(v)
        if (!isArray && !isPlainObject(v)) {
          const hint = v instanceof Date ? ' (pass date.getTime() or date.toISOString())' : ''
          issues.push({ path: [...path], message: `expected a plain object, got ${kindOf(v)}${hint}` })
          return
        }
        ancestors.push(v)
        if (isArray) {
          for (let i = 0; i < v.length; i++) {
            path.push(i)
            // undefined in an array is an issue (it becomes null), unlike an undefined property.
            visit(v[i], depth + 1)
            path.pop()
          }
        } else {
          for (const key in v) {
            const child = (v as Record<string, unknown>)[key]
            if (child === undefined) continue
            path.push(key)
            visit(child, depth + 1)
            path.pop()
          }
        }
        ancestors.pop()
        return
      }
      case 'undefined':
        issues.push({ path: [...path], message: 'expected a JSON value, got undefined' })
        return
      default:
        issues.push({ path: [...path], message: `expected a JSON value, got ${kindOf(v)}` })
    }
  }

  visit(value, 0)
  return issues
}

/**
 * Whether {@link findJsonIssues} would find nothing: the same walk without the
 * path, the ancestors and the messages, for log()'s hot path (it took a third
 * of the walk's time). A cycle shows here as nesting past MAX_DEPTH; only a
 * value with an issue is walked again, to name it.
 */
function isCleanJson(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(v)
    case 'object': {
      if (v === null) return true
      if (depth >= MAX_DEPTH) return false
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!isCleanJson(v[i], depth + 1)) return false
        return true
      }
      if (!isPlainObject(v)) return false
      for (const key in v) {
        const child = (v as Record<string, unknown>)[key]
        if (child !== undefined && !isCleanJson(child, depth + 1)) return false
      }
      return true
    }
    default:
      return false
  }
}

/** Texts up to this many UTF-16 units are measured in a reused buffer (it grows to 3 bytes a unit); longer ones get their own. */
const SCRATCH_UNITS = 1 << 16
let scratch: Uint8Array | undefined
let encoder: TextEncoder | undefined

/** UTF-8 length of a string, as `fetch` and `sendBeacon` will send it. */
export function utf8Length(text: string): number {
  encoder ??= new TextEncoder()
  if (text.length > SCRATCH_UNITS) return encoder.encode(text).length
  // Encoding into a reused buffer is native: in Chromium it measured 2 µs less
  // than a regular expression scan for non-ASCII on a seed event just made by
  // JSON.stringify, and a charCodeAt loop was slower still.
  if (!scratch || scratch.length < 3 * text.length) scratch = new Uint8Array(3 * text.length)
  return encoder.encodeInto(text, scratch).written
}
