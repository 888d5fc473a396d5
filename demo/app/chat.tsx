import { useSignalEffect } from '@preact/signals'
import type { PollenClient } from 'pollen'
import { useRef, useState } from 'preact/hooks'
import { ask } from '../conversation.js'
import { answering, draft, messages } from '../state.js'
import { Composer } from './composer.js'
import { ArrowDownIcon } from './icons.js'
import { MessageView } from './message.js'
import { Starters } from './starters.js'

/** How close to the bottom (px) still counts as "at the bottom". */
const PINNED_PX = 48

/**
 * The conversation and the composer. The list stays scrolled to the bottom
 * while an answer streams, unless the user scrolled up to read.
 */
export function Chat({ hh }: { hh: PollenClient }) {
  const scroller = useRef<HTMLDivElement>(null)
  const composer = useRef<HTMLTextAreaElement>(null)
  const pinned = useRef(true)
  const [away, setAway] = useState(false)

  const toBottom = () => {
    const el = scroller.current
    if (el) el.scrollTop = el.scrollHeight
  }
  const onScroll = () => {
    const el = scroller.current!
    pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < PINNED_PX
    setAway(!pinned.current)
  }
  // After each token or new message; a frame later, once Preact has rendered it,
  // and only if the user has not scrolled away in between.
  useSignalEffect(() => {
    void draft.value
    void messages.value
    requestAnimationFrame(() => pinned.current && toBottom())
  })

  const jumpToLatest = () => {
    pinned.current = true
    toBottom()
  }
  const send = (question: string) => {
    pinned.current = true
    void ask(hh, question)
    composer.current?.focus()
  }

  const list = messages.value
  return (
    <section class="chat" aria-label="Chat">
      <div class="scroller" ref={scroller} onScroll={onScroll}>
        <div class="column">
          {list.length === 0 && <Starters onPick={send} />}
          {/* role=log is a polite live region; a streaming answer stays hidden from it until complete (see MessageView). */}
          <div class="messages" role="log" aria-label="Conversation">
            {list.map((message) => (
              <MessageView key={message.id} hh={hh} message={message} />
            ))}
          </div>
        </div>
      </div>
      {away && answering.value !== null && (
        <button type="button" class="to-latest" onClick={jumpToLatest}>
          <ArrowDownIcon />
          Latest
        </button>
      )}
      <Composer inputRef={composer} onSend={send} busy={answering.value !== null} />
    </section>
  )
}
