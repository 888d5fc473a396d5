/**
 * The proxy as an app serves it, for `bench:server`: its own process, on a
 * free port, forwarding to UPSTREAM with KEY. Prints `listening on <url>`.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createProxyHandler, toNodeListener } from '../../src/proxy/index.js'

const handler = createProxyHandler({ apiKey: process.env.KEY!, project: 'Simple RAG', upstream: process.env.UPSTREAM!, rateLimit: false })
const server = createServer(toNodeListener(handler))
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`)
})
process.once('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
