/**
 * `npm run bench:server`: how fast the collector ingests through the proxy on
 * this machine. Several concurrent clients post proxy envelopes of 50 events
 * (the client's default batch) over real HTTP to the proxy, which forwards
 * to a collector on a SQLite file. Each runs in its own process, as in use:
 * the proxy in a Node server of its own, the collector as the
 * `pollen-collector` CLI; this process only makes the load. Reports events/s, request latency p50/p99 and
 * the database size per 10,000 events. Target: ≥ 5,000 events/s, p99 < 100 ms.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { build } from 'vite'
import seed from '../fixtures/seed-event.json'

const CLIENTS = 8
const BATCH = 50
const TOTAL = 50_000
const WARMUP = 2_000

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

test('collector ingest through the proxy', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pollen-bench-'))
  const db = join(dir, 'events.db')
  const collector = await startProcess('src/cli/collector.ts', ['--port', '0', '--db', db, '--api-key', 'bench-key'])
  const proxy = await startProcess('test/bench/proxy-server.ts', [], { UPSTREAM: collector.url, KEY: 'bench-key' })
  const sessionId = crypto.randomUUID()
  const envelope = (n: number) =>
    JSON.stringify({
      events: Array.from({ length: n }, () => ({ ...seed, event_id: crypto.randomUUID(), session_id: sessionId, parent_id: sessionId })),
    })
  const post = async (body: string) => {
    const start = performance.now()
    const response = await fetch(proxy.url, { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body })
    const answer = (await response.json()) as { accepted: string[] }
    if (response.status !== 200 || answer.accepted.length === 0) throw new Error(`bench request failed: ${response.status}`)
    return performance.now() - start
  }

  for (let i = 0; i < WARMUP / BATCH; i++) await post(envelope(BATCH))
  const bodies = Array.from({ length: TOTAL / BATCH }, () => envelope(BATCH))
  const latencies: number[] = []
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < bodies.length) latencies.push(await post(bodies[next++]!))
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const counts = await (await fetch(`${collector.url}/stats`, { headers: { Authorization: 'Bearer bench-key' } })).json()
  await proxy.close()
  await collector.close()
  const size = ['', '-wal'].map((suffix) => (existsSync(db + suffix) ? statSync(db + suffix).size : 0)).reduce((a, b) => a + b, 0)
  rmSync(dir, { recursive: true, force: true })

  latencies.sort((a, b) => a - b)
  const rate = TOTAL / seconds
  const p50 = quantile(latencies, 0.5)
  const p99 = quantile(latencies, 0.99)
  const perTenThousand = (size / counts.stored) * 10_000
  const row = (name: string, value: string, target: string, ok: boolean) => `| ${name} | ${value} | ${target} | ${ok ? 'PASS' : 'MISS'} |`
  console.log(
    [
      `\nPollen server bench — ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model} × ${cpus().length}, Node ${process.version}`,
      `${CLIENTS} concurrent clients, envelopes of ${BATCH} seed events, ${TOTAL.toLocaleString('en')} events (after ${WARMUP} warm-up), proxy → collector on SQLite (WAL), each in its own process\n`,
      '| measure | value | target | |',
      '|---|---|---|---|',
      row('events/s ingested', Math.round(rate).toLocaleString('en'), '≥ 5,000', rate >= 5000),
      row('request latency p50', `${p50.toFixed(1)} ms`, '', true),
      row('request latency p99', `${p99.toFixed(1)} ms`, '< 100 ms', p99 < 100),
      row('SQLite size per 10,000 events', `${(perTenThousand / 1024 / 1024).toFixed(1)} MiB`, '', true),
    ].join('\n'),
  )
  expect(counts.stored).toBe(TOTAL + WARMUP)
}, 300_000)

/** Builds `entry` and starts it in its own process; resolves once it prints its URL. close() waits for exit. */
async function startProcess(entry: string, args: string[], env: Record<string, string> = {}) {
  // Built inside the repo, so that it resolves zod and better-sqlite3 from node_modules.
  const cache = join(process.cwd(), 'node_modules', '.cache')
  mkdirSync(cache, { recursive: true })
  const out = mkdtempSync(join(cache, 'pollen-bench-'))
  await build({
    configFile: false,
    logLevel: 'silent',
    build: { outDir: out, lib: { entry, formats: ['es'], fileName: () => 'main.js' }, rolldownOptions: { external: [/^zod/, 'better-sqlite3', /^node:/] } },
  })
  const child = spawn(process.execPath, [join(out, 'main.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } })
  const url = await new Promise<string>((resolve, reject) => {
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match) resolve(match[1]!)
    })
    child.on('exit', () => reject(new Error(`${entry} exited: ${output}`)))
  })
  const exited = new Promise((resolve) => child.on('exit', resolve))
  return {
    url,
    async close() {
      child.kill('SIGTERM')
      await exited
      rmSync(out, { recursive: true, force: true })
    },
  }
}
