/**
 * A real redis-server (Debian's package) on a free port, for the tests of the
 * proxy's shared state. `stop()` and `start()` take it away and bring it back
 * on the same port, as an outage would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { freePort } from './free-port.js'
import { createClient } from 'redis'

export function requireRedisServer(): void {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is missing: apt-get install -y redis-server (.ci/run installs it)')
  }
}

export async function startRedis() {
  requireRedisServer()
  const port = await freePort()
  let child: ChildProcess | undefined
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    // Ready once it answers PING.
    for (let i = 0; i < 100; i++) {
      const probe = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } })
      probe.on('error', () => undefined)
      try {
        await probe.connect()
        await probe.ping()
        await probe.close()
        return
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    throw new Error(`redis-server did not start on port ${port}`)
  }
  const stop = async () => {
    const exited = new Promise((resolve) => child?.once('exit', resolve))
    child?.kill('SIGKILL')
    await exited
    child = undefined
  }
  await start()
  return { url: `redis://127.0.0.1:${port}`, port, start, stop }
}

/**
 * A client configured as the README tells users to: no offline queue (a
 * command while Redis is away fails at once) and a short command timeout.
 */
export async function connectRedis(url: string) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: 200 },
    socket: { connectTimeout: 500, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 500) },
  })
  // Without a listener, node-redis throws its connection errors into the process.
  client.on('error', () => undefined)
  await client.connect()
  return client
}
