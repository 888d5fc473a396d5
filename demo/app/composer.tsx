import type { Ref } from 'preact'
import { useState } from 'preact/hooks'
import { SendIcon } from './icons.js'

export interface ComposerProps {
  onSend(question: string): void
  /** An answer is streaming: typing is fine, sending waits. */
  busy: boolean
  inputRef: Ref<HTMLTextAreaElement>
}

/** The question box: Enter sends, Shift+Enter starts a new line. */
export function Composer({ onSend, busy, inputRef }: ComposerProps) {
  const [text, setText] = useState('')
  const ready = text.trim() !== '' && !busy

  const send = () => {
    if (!ready) return
    onSend(text.trim())
    setText('')
  }
  const onKeyDown = (event: KeyboardEvent) => {
    // isComposing: Enter also confirms an IME composition (Japanese, Chinese…); that must not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault()
      send()
    }
  }

  return (
    <div class="composer-wrap">
      <form
        class="composer"
        onSubmit={(event) => {
          event.preventDefault()
          send()
        }}
      >
        <label for="question" class="sr-only">
          Your question
        </label>
        <textarea
          id="question"
          ref={inputRef}
          rows={1}
          placeholder="Ask how Pollen works…"
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
          onKeyDown={onKeyDown}
          aria-describedby="composer-hint"
        />
        <button type="submit" class="send" disabled={!ready} aria-label={busy ? 'Send (wait for the answer)' : 'Send'}>
          <SendIcon />
        </button>
      </form>
      <p id="composer-hint" class="hint">
        Enter sends, Shift+Enter adds a line.<span class="wide-only"> Answers come from a handful of pages about Pollen.</span>
      </p>
    </div>
  )
}
