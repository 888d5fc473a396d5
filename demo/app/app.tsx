import type { PollenClient } from 'pollen'
import { panel } from '../state.js'
import { Chat } from './chat.js'
import { Header } from './header.js'
import { Inspector } from './inspector.js'

export interface AppProps {
  hh: PollenClient
  project: string
}

/** The page: a header, the chat, and the inspector beside it (on phones, one or the other). */
export function App({ hh, project }: AppProps) {
  return (
    <div class="app" data-panel={panel.value}>
      <Header />
      {/* One main landmark for both panes: on phones either one may be hidden. */}
      <main class="panes">
        <Chat hh={hh} />
        <Inspector hh={hh} project={project} />
      </main>
    </div>
  )
}
