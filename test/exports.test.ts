import { expect, test } from 'vitest'
import * as pollen from '../src/index.js'
import * as widget from '../src/widget/index.js'

test('the public names of `pollen` are exactly these', () => {
  expect(Object.keys(pollen).sort()).toEqual(['PollenError', 'createClient'])
})

test('the public names of `pollen/widget` are exactly these', () => {
  expect(Object.keys(widget).sort()).toEqual(['Feedback', 'defineFeedbackElement', 'mountFeedback'])
})

test('PollenError carries a code and issues', () => {
  const error = new pollen.PollenError('invalid-event', 'bad', [{ path: ['a'], message: 'm' }])
  expect(error).toBeInstanceOf(Error)
  expect(error).toMatchObject({ name: 'PollenError', code: 'invalid-event', issues: [{ path: ['a'], message: 'm' }] })
})

test('the public names of `pollen/proxy` are exactly these', async () => {
  const proxy = await import('../src/proxy/index.js')
  expect(Object.keys(proxy).sort()).toEqual(['createMemoryState', 'createProxyHandler', 'toNodeListener'])
})

test('the public names of `pollen/proxy/redis` are exactly these', async () => {
  const redis = await import('../src/proxy/redis/index.js')
  expect(Object.keys(redis).sort()).toEqual(['createRedisState'])
})

test('the public names of `pollen/openai` are exactly these', async () => {
  const openai = await import('../src/openai/index.js')
  expect(Object.keys(openai).sort()).toEqual(['observeOpenAI', 'observePromptAPI'])
})
