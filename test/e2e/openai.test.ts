/**
 * `pollen/openai` with the real `openai` package in real Chromium, against an
 * OpenAI-compatible server started here (JSON, SSE with usage in the last
 * chunk, a 500, a connection cut mid-stream, an abort after three chunks, a
 * break), through the real proxy into the collector. What is logged matches
 * what the app received.
 */
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startCollector } from '../../src/collector/index.js'
import { createProxyHandler, toNodeListener } from '../../src/proxy/index.js'
import { bundleApp } from '../support/bundle-app.js'
import { launchChromium } from '../support/page-server.js'
import { hh } from '../support/servers.js'

const WORDS = ['Hello', ' world', ',', ' from', ' the', ' context', '.']
const USAGE = { prompt_tokens: 21, completion_tokens: 7, total_tokens: 28 }

let collector: Awaited<ReturnType<typeof startCollector>>
let site: Server
let browser: Browser
let page: Page
/** Requests the model server got, with their bodies. */
const modelRequests: Record<string, any>[] = []
/** For the unbuffered case: when the page acknowledged the first chunk, and when the second was sent. */
const timeline: { ack?: number; second?: number } = {}
let ack: (() => void) | undefined

const chunk = (content: string | undefined, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: content === undefined ? [] : [{ index: 0, delta: { content }, finish_reason: null }], ...extra })}\n\n`

async function model(req: IncomingMessage, res: ServerResponse) {
  let text = ''
  for await (const part of req) text += part
  const body = JSON.parse(text)
  modelRequests.push(body)
  const scenario = body.model as string
  if (scenario === 'fail-500') return void res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"error":{"message":"model exploded","type":"server_error"}}')
  if (scenario === 'json') {
    return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: WORDS.join('') }, finish_reason: 'stop' }], usage: USAGE }),
    )
  }
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
  const pause = () => new Promise((resolve) => setTimeout(resolve, 30))
  const acked = new Promise<void>((resolve) => (ack = resolve))
  for (const [i, word] of WORDS.entries()) {
    if (scenario === 'unbuffered' && i === 1) {
      // Wait (at most 3 s) for the page to say it has the first chunk before sending the second.
      await Promise.race([acked, new Promise((resolve) => setTimeout(resolve, 3000))])
      timeline.second = Date.now()
    }
    if (scenario === 'cut' && i === 4) return void res.socket?.destroy()
    res.write(chunk(word))
    await pause()
  }
  res.write(chunk(undefined, { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }))
  res.write(chunk(undefined, { usage: USAGE }))
  res.end('data: [DONE]\n\n')
}

/** A model endpoint of the app's own, streaming plain text; the question 'cut' is cut after three pieces. */
async function chat(req: IncomingMessage, res: ServerResponse) {
  let text = ''
  for await (const part of req) text += part
  const cut = JSON.parse(text).messages.at(-1).content === 'cut'
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
  for (const [i, word] of WORDS.entries()) {
    if (cut && i === 3) return void res.socket?.destroy()
    res.write(word)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  res.end()
}

beforeAll(async () => {
  collector = await startCollector({ port: 0, db: ':memory:', apiKey: 'test-key' })
  const proxy = toNodeListener(createProxyHandler({ apiKey: 'test-key', project: 'Simple RAG', upstream: collector.url, rateLimit: false, log: () => undefined }))
  const app = await bundleApp(new URL('./fixtures/openai-app.ts', import.meta.url).pathname)
  site = createServer((req, res) => {
    if (req.url === '/app.js') return void res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(app)
    if (req.url === '/api/pollen') return proxy(req, res)
    if (req.url === '/api/chat') return void chat(req, res).catch(() => res.destroy())
    if (req.url === '/v1/chat/completions') return void model(req, res).catch(() => res.destroy())
    if (req.url === '/ack') {
      timeline.ack = Date.now()
      ack?.()
      return void res.writeHead(204).end()
    }
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><script type="module" src="/app.js"></script>')
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  browser = await launchChromium()
  page = await browser.newPage()
  await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`)
  await page.waitForFunction(() => (window as any).appReady === true)
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => site?.close(resolve))
  await collector?.close()
})

const run = (scenario: string) => page.evaluate((s) => (window as any).app.run(s), scenario) as Promise<{ id: string; text: string; ttftMs?: number; error?: string; chunks: number; startedBeforeRequest?: boolean }>

/** The logged event, once the collector has it. */
async function logged(id: string): Promise<Record<string, any>> {
  for (let i = 0; i < 50; i++) {
    const { json } = await hh(collector.url, 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'event_id', operator: 'is', value: id }] })
    if (json.events?.length) return json.events[0]
    await page.evaluate(() => (window as any).app.flush())
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`event ${id} never arrived`)
}

test('a JSON completion: one model event in the seed shape, with config, inputs, outputs and usage', async () => {
  const seen = await run('json')
  expect(seen.startedBeforeRequest).toBe(true)
  const event = await logged(seen.id)
  expect(event).toMatchObject({
    event_type: 'model',
    event_name: 'Model Completion',
    config: { model: 'json', provider: 'local', hyperparameters: { temperature: 0.2 }, template: 'rag-v1', version: 'v0.3' },
    inputs: { question: 'What is in the context?', chat_history: [{ role: 'system' }, { role: 'user', content: 'What is in the context?' }] },
    outputs: { role: 'assistant', content: seen.text },
    metadata: { ...USAGE, finish_reason: 'stop' },
  })
  expect(event.metadata.cost).toBeCloseTo((21 * 0.15 + 7 * 0.6) / 1e6, 12)
  expect(event.duration).toBeGreaterThan(0)
  expect(event.error).toBeUndefined()
  // The per-call Pollen options never reached the model's server.
  expect(JSON.stringify(modelRequests.at(-1))).not.toContain('pollen')
})

test('a stream: the text the app read, usage from the last chunk, time to first token within 5 ms of the page', async () => {
  const seen = await run('stream')
  expect(seen.text).toBe(WORDS.join(''))
  const event = await logged(seen.id)
  expect(event.outputs.content).toBe(seen.text)
  expect(event.metadata).toMatchObject({ ...USAGE, finish_reason: 'stop' })
  expect(Math.abs(event.metadata.time_to_first_token_ms - seen.ttftMs!)).toBeLessThanOrEqual(5)
  expect(event.metadata.tokens_per_second).toBeGreaterThan(0)
  expect(event.config.hyperparameters).toEqual({ max_tokens: 100 })
  // The request went out unchanged: no stream_options added.
  expect(modelRequests.at(-1)!.stream_options).toBeUndefined()
})

test('the stream is not buffered: the app has the first chunk before the server sends the second', async () => {
  const seen = await run('unbuffered')
  expect(seen.text).toBe(WORDS.join(''))
  expect(timeline.ack).toBeDefined()
  expect(timeline.ack!).toBeLessThanOrEqual(timeline.second!)
})

test('a 500: logged with error, and the error reaches the app unchanged', async () => {
  const seen = await run('fail-500')
  expect(seen.error).toMatch(/model exploded/)
  const event = await logged(seen.id)
  expect(event.error).toMatch(/model exploded/)
  expect(event.outputs.content).toBe('')
})

test('a connection cut mid-stream: logged with the partial output and the error the app got', async () => {
  const seen = await run('cut')
  expect(seen.error).toBeDefined()
  expect(seen.text).toBe(WORDS.slice(0, 4).join(''))
  const event = await logged(seen.id)
  expect(event.outputs.content).toBe(seen.text)
  expect(event.error).toBeTruthy()
  expect(event.metadata.finish_reason).toBeUndefined()
})

test('an abort after three chunks: logged with the three chunks and an error', async () => {
  const seen = await run('abort')
  expect(seen.chunks).toBe(3)
  const event = await logged(seen.id)
  expect(event.outputs.content).toBe(WORDS.slice(0, 3).join(''))
  expect(event.error).toMatch(/abort/i)
})

test('a break out of the loop: logged with the partial output and no finish_reason', async () => {
  const seen = await run('break')
  const event = await logged(seen.id)
  expect(event.outputs.content).toBe(WORDS.slice(0, 2).join(''))
  expect(event.metadata.finish_reason).toBeUndefined()
  expect(event.error).toBeUndefined()
})

test("the README's span around a raw fetch stream runs as written: the text the app rendered, and the error of a cut", async () => {
  const fixture = readFileSync(new URL('./fixtures/openai-app.ts', import.meta.url), 'utf8')
  const block = fixture.split('// README:start\n')[1]!.split('    // README:end')[0]!
  const snippet = block.split('\n').map((line) => line.replace(/^    /, '')).join('\n')
  expect(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')).toContain(snippet)

  const find = async (parent: string) => {
    for (let i = 0; i < 50; i++) {
      const { json } = await hh(collector.url, 'POST', '/events/export', { project: 'Simple RAG', filters: [{ field: 'parent_id', operator: 'is', value: parent }] })
      if (json.events?.length) return json.events[0]
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`no child of ${parent} arrived`)
  }
  const whole = (await page.evaluate(() => (window as any).app.rawStream('hello'))) as { turn: string; rendered: string[] }
  expect(whole.rendered.at(-1)).toBe(WORDS.join(''))
  const event = await find(whole.turn)
  expect(event).toMatchObject({ event_type: 'model', config: { model: 'my-model', provider: 'my-server' }, outputs: { content: WORDS.join('') } })
  expect(event.error).toBeUndefined()

  const cut = (await page.evaluate(() => (window as any).app.rawStream('cut'))) as { turn: string; rendered: string[] }
  expect(cut.rendered.at(-1)).toMatch(/^threw: TypeError/)
  const failed = await find(cut.turn)
  expect(failed.outputs.content).toBe(cut.rendered.at(-2))
  expect(failed.error).toMatch(/TypeError/)
})
