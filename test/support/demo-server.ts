/**
 * Starts what `npm start` starts (Vite's dev server with the demo plugin, from
 * the repository root) on a free port, with the collector's SQLite file in a
 * temporary folder. Vite is started from node_modules/.bin, not through npm:
 * killing npm would leave Vite running.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { freePort } from './free-port.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

export async function startDemoServer(env: NodeJS.ProcessEnv = {}) {
  const port = await freePort()
  const folder = mkdtempSync(join(tmpdir(), 'pollen-demo-'))
  const child: ChildProcess = spawn(`${root}node_modules/.bin/vite`, ['--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    cwd: root,
    env: { ...process.env, VITEST: '', POLLEN_DEMO_DB: join(folder, 'events.db'), HH_API_KEY: '', OPENAI_BASE_URL: '', OPENAI_API_KEY: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The demo server exited (${child.exitCode}):\n${output}`)
    try {
      if ((await fetch(`${url}/api/demo/status`)).ok) break
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`The demo server did not start in 60 s:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return {
    url,
    output: () => output,
    /** Every event the demo's collector stores for the demo project. */
    async events(): Promise<any[]> {
      const response = await fetch(`${url}/honeyhive/events/export`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ project: 'Simple RAG' }),
      })
      return ((await response.json()) as { events: any[] }).events
    },
    async close() {
      try {
        process.kill(-child.pid!, 'SIGTERM')
      } catch {
        // Already gone.
      }
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)))
      rmSync(folder, { recursive: true, force: true })
    },
  }
}
