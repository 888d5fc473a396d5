// @vitest-environment node
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, expect, test } from 'vitest'
import { complete, modelFromEnv } from '../../demo/server/complete.js'

const servers: Server[] = []
afterEach(() => servers.splice(0).forEach((server) => server.close()))

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** An OpenAI-compatible model that streams "Hello world" as server-sent events, and records what it was sent. */
async function fakeModel() {
  const seen: { auth?: string; body?: any } = {}
  const url = await listen(async (req, res) => {
    let text = ''
    for await (const chunk of req) text += chunk
    seen.auth = req.headers.authorization
    seen.body = JSON.parse(text)
    res.writeHead(200, { 'Content-Type': 'text/event-stream' })
    for (const piece of ['Hello', ' world']) res.write(`data: ${JSON.stringify({ model: 'fake-1', choices: [{ delta: { content: piece } }] })}\n\n`)
    res.write(`data: ${JSON.stringify({ model: 'fake-1', choices: [], usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 } })}\n\n`)
    res.end('data: [DONE]\n\n')
  })
  return { url, seen }
}

test('relays the stream as NDJSON deltas and a final line with model and usage; the key stays on the server', async () => {
  const model = await fakeModel()
  const config = modelFromEnv({ OPENAI_BASE_URL: `${model.url}/`, OPENAI_API_KEY: 'sk-secret', OPENAI_MODEL: 'fake-1' })!
  const demo = await listen((req, res) => void complete(config, req, res))
  const response = await fetch(demo, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }], temperature: 0, max_tokens: 20 }) })
  const text = await response.text()
  expect(response.headers.get('content-type')).toBe('application/x-ndjson')
  expect(text.trim().split('\n').map((line) => JSON.parse(line))).toEqual([
    { delta: 'Hello' },
    { delta: ' world' },
    { done: true, model: 'fake-1', usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 } },
  ])
  expect(model.seen.auth).toBe('Bearer sk-secret')
  expect(model.seen.body).toMatchObject({ model: 'fake-1', stream: true, temperature: 0, max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] })
  expect(text).not.toContain('sk-secret')
})

test('bad requests get 400 naming the field; no model configured gets 404', async () => {
  const config = modelFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:9', OPENAI_API_KEY: 'k' })
  const demo = await listen((req, res) => void complete(config, req, res))
  const ask = async (body: unknown) => {
    const response = await fetch(demo, { method: 'POST', body: JSON.stringify(body) })
    return [response.status, ((await response.json()) as { error: string }).error]
  }
  expect(await ask({ messages: [] })).toEqual([400, 'messages: expected an array of 1 to 100 messages'])
  expect(await ask({ messages: [{ role: 'robot', content: 'x' }] })).toEqual([400, 'messages.0.role: expected "system", "user" or "assistant"'])
  expect(await ask({ messages: [{ role: 'user', content: 'x' }], temperature: 3 })).toEqual([400, 'temperature: expected a number from 0 to 2'])
  expect(await ask({ messages: [{ role: 'user', content: 'x' }], max_tokens: 1.5 })).toEqual([400, 'max_tokens: expected an integer from 1 to 4096'])
  expect(modelFromEnv({})).toBeUndefined()
  const none = await listen((req, res) => void complete(undefined, req, res))
  expect((await fetch(none, { method: 'POST', body: '{}' })).status).toBe(404)
})
