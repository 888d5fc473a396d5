/**
 * The chaos suite's page: one Pollen client, driven by the test through
 * `window.chaos`. With `?noidb`, IndexedDB is taken away before the client
 * starts, so that tab runs on the memory fallback.
 */
import { createClient } from 'pollen'

if (new URLSearchParams(location.search).has('noidb')) Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true })

const hh = createClient({ project: 'Chaos', endpoint: '/api/pollen', flushInterval: 500 })

Object.assign(window, {
  chaos: {
    /** Logs seed-like events with the given ids; returns how many log() accepted. */
    log(ids: string[]) {
      for (const id of ids) {
        hh.log({
          event_id: id,
          event_name: 'Model Completion',
          event_type: 'model',
          config: { model: 'gpt-4o-mini', provider: 'openai' },
          inputs: { question: 'What is in the context?', chat_history: [{ role: 'user', content: 'What is in the context?' }] },
          outputs: { role: 'assistant', content: 'Hello world' },
          metadata: { total_tokens: 58 },
        })
      }
      return ids.length
    },
    feedback(updates: [id: string, n: number][]) {
      for (const [id, n] of updates) hh.feedback(id, { rating: n % 2 === 0, n })
      return updates.length
    },
    stats: () => hh.stats(),
  },
  chaosReady: true,
})
