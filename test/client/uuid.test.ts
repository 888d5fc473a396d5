import { expect, test } from 'vitest'
import { uuid } from '../../src/client/uuid.js'
import { UUID_V4 } from '../../src/schema/index.js'

test('uuid() makes distinct lowercase UUIDv4s, also across refills of its random pool', () => {
  const ids = Array.from({ length: 2000 }, uuid)
  expect(ids.every((id) => UUID_V4.test(id))).toBe(true)
  expect(new Set(ids).size).toBe(ids.length)
})
