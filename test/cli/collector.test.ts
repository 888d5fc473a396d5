// @vitest-environment node
/** The pollen-collector CLI as a user runs it: built, started, fed, stopped by a signal. */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { build } from 'vite'
import { beforeAll, expect, test } from 'vitest'
import { hh } from '../support/servers.js'

// Inside the repo, so that the built CLI resolves zod and better-sqlite3 from node_modules.
const cache = join(process.cwd(), 'node_modules', '.cache')
mkdirSync(cache, { recursive: true })
const dir = mkdtempSync(join(cache, 'pollen-cli-'))
beforeAll(async () => {
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      outDir: dir,
      lib: { entry: 'src/cli/collector.ts', formats: ['es'], fileName: () => 'cli.js' },
      rolldownOptions: { external: [/^zod/, 'better-sqlite3', /^node:/] },
    },
  })
}, 60_000)

function start(args: string[]) {
  const child = spawn(process.execPath, [join(dir, 'cli.js'), ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match) resolve(match[1]!)
    })
    child.on('exit', () => reject(new Error(`exited early: ${output}`)))
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, url, exited, output: () => output }
}

test('prints its URL, requires the key it was given, and keeps every event through SIGTERM', async () => {
  const db = join(dir, 'nested', 'events.db')
  const cli = start(['--port', '0', '--db', db, '--api-key', 'k'])
  const url = await cli.url
  expect(cli.output()).toMatch(/API key required/)
  expect((await hh(url, 'GET', '/stats', undefined, '')).status).toBe(401)
  const events = Array.from({ length: 500 }, () => ({ project: 'P', source: 's', event_name: 'e', event_type: 'tool', config: {}, inputs: {}, duration: 1, event_id: crypto.randomUUID() }))
  expect((await hh(url, 'POST', '/events/batch', { events }, 'k')).status).toBe(200)
  cli.child.kill('SIGTERM')
  expect(await cli.exited).toBe(0)
  expect(cli.output()).toMatch(/stopped/)
  const check = new Database(db, { readonly: true })
  expect(check.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 500 })
  check.close()
}, 30_000)

test('refuses a bad flag with its usage', async () => {
  const cli = start(['--port', 'eighty'])
  await cli.url.catch(() => undefined)
  expect(await cli.exited).toBe(2)
  expect(cli.output()).toMatch(/--port: expected a port number, got eighty[\s\S]*Usage: pollen-collector/)
})

test('--allow-origin takes repeated and comma-separated origins, and refuses what is not one', async () => {
  const cli = start(['--port', '0', '--db', ':memory:', '--allow-origin', 'http://localhost:5173,http://a.test', '--allow-origin', 'http://b.test'])
  const url = await cli.url
  for (const origin of ['http://localhost:5173', 'http://a.test', 'http://b.test']) {
    const answer = await fetch(`${url}/stats`, { headers: { Origin: origin } })
    expect(answer.headers.get('access-control-allow-origin')).toBe(origin)
  }
  expect((await fetch(`${url}/stats`, { headers: { Origin: 'http://c.test' } })).status).toBe(403)
  cli.child.kill('SIGTERM')
  expect(await cli.exited).toBe(0)

  const bad = start(['--port', '0', '--allow-origin', 'http://localhost:5173/app'])
  await bad.url.catch(() => undefined)
  expect(await bad.exited).toBe(2)
  expect(bad.output()).toMatch(/--allow-origin: expected an origin such as http:\/\/localhost:5173 \(scheme, host and port, no path\), got http:\/\/localhost:5173\/app/)
}, 30_000)
