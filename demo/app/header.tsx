import { clearChat } from '../conversation.js'
import { answering, messages, panel, stats, status } from '../state.js'
import { PlusIcon, PollenMark } from './icons.js'

/** Where events go and who answers, from `/api/demo/status`. */
function Badges() {
  const current = status.value
  // Nothing until the server answered: a placeholder would only shift when replaced.
  if (!current) return null
  const honeyhive = current.upstream === 'honeyhive'
  const llm = current.llm
  return (
    <>
      <span class={honeyhive ? 'badge live' : 'badge'} title={honeyhive ? 'HH_API_KEY is set on the server' : 'SQLite under .pollen/'}>
        Events → {honeyhive ? 'HoneyHive' : 'local collector'}
      </span>
      <span class="badge" title={llm.provider === 'openai' ? 'Through /api/demo/complete' : 'Answers from the bundled pages, in the browser'}>
        Model: {llm.provider === 'openai' ? llm.model : 'local RAG'}
      </span>
    </>
  )
}

/** The phones' switch between the chat and the inspector. */
function PanelSwitch() {
  const pending = stats.value?.pending ?? 0
  return (
    <nav class="panel-switch" aria-label="Panels">
      <button type="button" aria-pressed={panel.value === 'chat'} onClick={() => (panel.value = 'chat')}>
        Chat
      </button>
      <button type="button" aria-pressed={panel.value === 'inspector'} onClick={() => (panel.value = 'inspector')}>
        Inspector
        {pending > 0 && <span class="count" aria-label={`${pending} pending`}>{pending}</span>}
      </button>
    </nav>
  )
}

export function Header() {
  return (
    <header class="header">
      <h1 class="brand">
        <PollenMark />
        <span class="name">Pollen</span>
        <span class="sub">Simple RAG demo</span>
      </h1>
      <div class="badges">
        <Badges />
      </div>
      <PanelSwitch />
      <button
        type="button"
        class="new-chat"
        onClick={clearChat}
        disabled={messages.value.length === 0 || answering.value !== null}
        aria-label="New chat"
      >
        <PlusIcon />
        <span class="label">New chat</span>
      </button>
    </header>
  )
}
