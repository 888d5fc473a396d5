import { describe, expect, test } from 'vitest'
import { findJsonIssues, MAX_DEPTH, utf8Length } from '../../src/schema/index.js'

describe('findJsonIssues', () => {
  test('accepts plain JSON values, null included, and ignores undefined properties', () => {
    expect(findJsonIssues({ a: 1, b: 'x', c: [true, null, { d: [] }], e: undefined, f: Object.create(null) })).toEqual([])
  })

  const cyclic: Record<string, unknown> = { a: {} }
  ;(cyclic.a as Record<string, unknown>).back = cyclic
  const cases: [string, unknown, (string | number)[], RegExp][] = [
    ['function', { a: { f: () => 1 } }, ['a', 'f'], /got function/],
    ['symbol', { s: Symbol('x') }, ['s'], /got symbol/],
    ['BigInt', { n: 10n }, ['n'], /got bigint/],
    ['NaN', { n: Number.NaN }, ['n'], /finite number, got NaN/],
    ['Infinity', { n: [1, Infinity] }, ['n', 1], /finite number, got Infinity/],
    ['undefined in an array', { list: [1, undefined] }, ['list', 1], /got undefined/],
    ['Date', { when: new Date(0) }, ['when'], /got Date.*toISOString/],
    ['Map', { m: new Map() }, ['m'], /plain object, got Map/],
    ['cycle', cyclic, ['a', 'back'], /circular/],
  ]
  test.each(cases)('refuses a %s with its path', (_name, value, path, message) => {
    const [issue, ...rest] = findJsonIssues(value)
    expect(rest).toEqual([])
    expect(issue!.path).toEqual(path)
    expect(issue!.message).toMatch(message)
  })

  test(`refuses nesting deeper than ${MAX_DEPTH} levels without overflowing the stack`, () => {
    let deep: unknown = {}
    for (let i = 0; i < 10_000; i++) deep = { d: deep }
    const issues = findJsonIssues(deep)
    expect(issues).toHaveLength(1)
    expect(issues[0]!.message).toMatch(/at most 64 levels/)
  })

  test('a shared (non-cyclic) object is fine', () => {
    const shared = { x: 1 }
    expect(findJsonIssues({ a: shared, b: shared })).toEqual([])
  })
})

describe('utf8Length', () => {
  test.each(['', 'ascii', 'é', '€', '日本語', '👍🏽 emoji', JSON.stringify('\ud800 lone')])('matches TextEncoder for %j', (text) => {
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length)
  })

  // Past 65,536 UTF-16 units it encodes a copy instead of into its buffer.
  test.each(['a', 'é', '€', '👍', '\ud800', '\udc00', 'x\ud83d'])('matches TextEncoder for long texts of %j', (unit) => {
    const text = unit.repeat(Math.ceil(70_000 / unit.length)) + 'tail é'
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length)
  })
})
