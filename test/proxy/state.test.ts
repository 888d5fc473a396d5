// @vitest-environment node
/**
 * The ProxyState contract, run against each implementation: the memory
 * default, Redis through node-redis (`sendCommand`), and Redis through an
 * ioredis-shaped client (`call`). Real redis-server, started by the test.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createMemoryState } from '../../src/proxy/index.js'
import { createRedisState } from '../../src/proxy/redis/index.js'
import type { ProxyState } from '../../src/proxy/index.js'
import { connectRedis, startRedis } from '../support/redis.js'

let redis: Awaited<ReturnType<typeof startRedis>>
let client: Awaited<ReturnType<typeof connectRedis>>
beforeAll(async () => {
  redis = await startRedis()
  client = await connectRedis(redis.url)
}, 20_000)
afterAll(async () => {
  await client?.close()
  await redis?.stop()
})

const implementations: [string, () => ProxyState][] = [
  ['memory', () => createMemoryState()],
  ['redis (node-redis)', () => createRedisState(client, { prefix: `t${crypto.randomUUID()}:` })],
  ['redis (ioredis-shaped)', () => createRedisState({ call: (command, ...args) => client.sendCommand([command, ...args]) }, { prefix: `t${crypto.randomUUID()}:` })],
]

describe.each(implementations)('%s', (_name, make) => {
  test('swap from nothing claims once: a second claim of the same key fails', async () => {
    const state = make()
    expect(await state.get('k')).toBeUndefined()
    expect(await state.swap('k', undefined, 'a', 60_000)).toBe(true)
    expect(await state.swap('k', undefined, 'b', 60_000)).toBe(false)
    expect(await state.get('k')).toBe('a')
  })

  test('swap changes or deletes only from the expected value', async () => {
    const state = make()
    await state.swap('k', undefined, 'a', 60_000)
    expect(await state.swap('k', 'x', 'b', 60_000)).toBe(false)
    expect(await state.swap('k', 'a', 'b', 60_000)).toBe(true)
    expect(await state.get('k')).toBe('b')
    expect(await state.swap('k', 'a', undefined, 0)).toBe(false)
    expect(await state.swap('k', 'b', undefined, 0)).toBe(true)
    expect(await state.get('k')).toBeUndefined()
    expect(await state.swap('gone', 'b', 'c', 60_000)).toBe(false)
  })

  test('values expire after their ttl', async () => {
    const state = make()
    await state.swap('k', undefined, 'a', 50)
    await new Promise((resolve) => setTimeout(resolve, 120))
    expect(await state.get('k')).toBeUndefined()
    expect(await state.swap('k', undefined, 'b', 60_000)).toBe(true)
  })

  test('of many racing claims of one key, exactly one wins', async () => {
    const state = make()
    const wins = await Promise.all(Array.from({ length: 50 }, (_, i) => state.swap('race', undefined, String(i), 60_000)))
    expect(wins.filter(Boolean)).toHaveLength(1)
  })

  test('take: a bucket of 3 gives 3 tokens, then names the wait until the next', async () => {
    const state = make()
    const limit = { requests: 3, perMs: 60_000 }
    expect(await Promise.all([1, 2, 3].map(() => state.take('bucket', limit)))).toEqual([0, 0, 0])
    const wait = await state.take('bucket', limit)
    expect(wait).toBeGreaterThan(19_000)
    expect(wait).toBeLessThanOrEqual(20_000)
    expect(await state.take('other', limit)).toBe(0)
  })
})

test('the memory state keeps at most maxKeys, dropping the least recently used', async () => {
  const state = createMemoryState({ maxKeys: 2 })
  await state.swap('a', undefined, '1', 60_000)
  await state.swap('b', undefined, '2', 60_000)
  await state.get('a') // a is now the most recently used
  await state.swap('c', undefined, '3', 60_000)
  expect(await state.get('b')).toBeUndefined()
  expect(await state.get('a')).toBe('1')
  expect(await state.get('c')).toBe('3')
})
