// @vitest-environment node
/**
 * README, Deploy, "Reading events back": HoneyHive's `POST /events/export`
 * bodies of the recipe (thumbs-down answers of the last week, then every event
 * of their sessions), run against the local collector, which serves that route.
 * The events and the vote get there as a page sends them, through the proxy.
 */
import { expect, test } from 'vitest'
import { createProxyHandler } from '../../../src/proxy/index.js'
import { browserEvent, useCollector } from '../../support/deploy.js'

const collector = useCollector()

/** The recipe's exportEvents, with HoneyHive's address replaced by the collector's. */
function exporter(HONEYHIVE: string) {
  return async function exportEvents(body: object) {
    const response = await fetch(`${HONEYHIVE}/events/export`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${process.env.HH_API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`export: ${response.status} ${await response.text()}`)
    return (await response.json()) as { events: Record<string, any>[]; totalEvents: number }
  }
}

/** Logs a turn of a chat session as the page does: a chain, its model completion, then the user's vote on the completion. */
async function chatTurn(pollen: ReturnType<typeof createProxyHandler>, rating: boolean, startTime = Date.now()) {
  const session = crypto.randomUUID()
  const turn = browserEvent({ event_name: 'chat turn', event_type: 'chain', session_id: session, parent_id: session, start_time: startTime, end_time: startTime + 900 })
  const completion = browserEvent({ session_id: session, parent_id: turn.event_id, start_time: startTime + 100, end_time: startTime + 800 })
  const send = async (envelope: object) => {
    const request = new Request('https://chat.example/api/pollen', {
      method: 'POST',
      headers: { Host: 'chat.example', Origin: 'https://chat.example', 'Content-Type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify(envelope),
    })
    const answer = await (await pollen(request)).json()
    expect(answer.rejected).toEqual([])
  }
  await send({ events: [turn, completion] })
  await send({ updates: [{ event_id: completion.event_id, feedback: { rating } }] })
  return { session, turn, completion }
}

test('thumbs-down answers of the last week, then every event of their sessions', async () => {
  const pollen = createProxyHandler({ apiKey: process.env.HH_API_KEY, project: 'Simple RAG', upstream: collector.url })
  const disliked = await chatTurn(pollen, false)
  await chatTurn(pollen, true)
  await chatTurn(pollen, false, Date.now() - 30 * 86_400_000) // a month ago: outside the range
  const exportEvents = exporter(collector.url)

  // Answers rated thumbs down in the last 7 days…
  const { events: rated } = await exportEvents({
    project: 'Simple RAG',
    filters: [{ field: 'feedback.rating', operator: 'is', value: 'false', type: 'boolean' }],
    dateRange: { $gte: new Date(Date.now() - 7 * 86_400_000).toISOString() },
    projections: ['session_id'],
  })
  // …and every event of their sessions.
  const sessions = await Promise.all(
    [...new Set(rated.map((event) => event.session_id))].map((session_id) =>
      exportEvents({ project: 'Simple RAG', filters: [{ field: 'session_id', operator: 'is', value: session_id, type: 'string' }], limit: 7500 }),
    ),
  )

  expect(rated).toEqual([{ event_id: disliked.completion.event_id, session_id: disliked.session }])
  expect(sessions).toHaveLength(1)
  const [session] = sessions
  expect(session?.totalEvents).toBe(2)
  expect(session?.events.map((event) => [event.event_name, event.feedback])).toEqual(
    expect.arrayContaining([
      ['chat turn', {}],
      ['Model Completion', { rating: false }],
    ]),
  )
})
