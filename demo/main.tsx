/**
 * The demo's entry: one Pollen client for the page, as an app would create it,
 * then the chat. Everything the page does with Pollen starts here and in
 * rag/turn.ts; the rest is the chat UI and the inspector.
 */
import { render } from 'preact'
import { createClient } from 'pollen'
import { App } from './app/app.js'
import { loadChat } from './saved-chat.js'
import { refreshStatus } from './server-status.js'
import { lastError, messages, stats } from './state.js'
import { demoUserId } from './user.js'
import './styles.css'

/** The HoneyHive project of the demo; the proxy forces it anyway. */
const PROJECT = 'Simple RAG'

const hh = createClient({
  project: PROJECT,
  // The demo server's Pollen proxy: it holds the HoneyHive key (or forwards to the local collector).
  endpoint: '/api/pollen',
  source: 'demo',
  userProperties: { user_id: demoUserId() },
  // Background failures never throw into the page; the inspector shows the last one.
  onError: (error) => (lastError.value = `${error.code}: ${error.message}`),
})

hh.subscribe((next) => (stats.value = next))
messages.value = loadChat()
void refreshStatus()

render(<App hh={hh} project={PROJECT} />, document.getElementById('app')!)
