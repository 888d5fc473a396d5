import type { PollenIssue } from '../errors.js'

/** Deepest nesting accepted in a value; deeper input is refused, not truncated. */
export const MAX_DEPTH = 64
const MAX_ISSUES = 10

/** `typeof`-like name of a value for messages: `null`, `array`, `Map`, `NaN`, … */
export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? 'number' : String(value)
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value)
    if (proto === Object.prototype || proto === null) return 'object'
    return (proto?.constructor?.name as string | undefined) ?? 'object'
  }
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
  const ancestors = new Set<object>()

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
        if (ancestors.has(v)) {
          issues.push({ path: [...path], message: 'expected a JSON value, got a circular reference' })
          return
        }
        const isArray = Array.isArray(v)
        const proto = Object.getPrototypeOf(v)
        if (!isArray && proto !== Object.prototype && proto !== null) {
          const hint = v instanceof Date ? ' (pass date.getTime() or date.toISOString())' : ''
          issues.push({ path: [...path], message: `expected a plain object, got ${kindOf(v)}${hint}` })
          return
        }
        ancestors.add(v)
        if (isArray) {
          for (let i = 0; i < v.length; i++) {
            path.push(i)
            if (v[i] === undefined) issues.push({ path: [...path], message: 'expected a JSON value, got undefined' })
            else visit(v[i], depth + 1)
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
        ancestors.delete(v)
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

const NON_ASCII = /[^\x00-\x7f]/

/** UTF-8 length of a string, without allocating an encoded copy. */
export function utf8Length(text: string): number {
  // Most events are ASCII: one native scan beats the loop below.
  if (!NON_ASCII.test(text)) return text.length
  let bytes = text.length
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) continue
    if (code < 0x800) bytes += 1
    // A surrogate pair is 2 UTF-16 units and 4 UTF-8 bytes: +1 each. Lone
    // surrogates cannot occur: JSON.stringify escapes them as \uXXXX.
    else if (code >= 0xd800 && code <= 0xdfff) bytes += 1
    else bytes += 2
  }
  return bytes
}
