import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import { fill, type FeedbackLabels } from './labels.js'
import type { FeedbackCategory } from './props.js'
import type { Vote } from './vote.js'

interface CommentProps {
  /** The thumb this step follows. */
  rating: boolean
  /** Chips to offer; only on thumbs down. */
  categories?: FeedbackCategory[]
  labels: FeedbackLabels
  maxLength: number
  /** Closes the step; `vote` is set when the user sent it. */
  onDone(rating: boolean, vote?: Vote): void
}

/**
 * The optional step after a thumb: category chips, a comment box and its
 * counter, Send and Skip. Enter sends, Shift+Enter breaks the line, Escape
 * skips. Ids are unique within the widget's shadow root.
 */
export function Comment({ rating, categories, labels, maxLength, onDone }: CommentProps) {
  const [text, setText] = useState('')
  const [chosen, setChosen] = useState<string[]>([])
  const box = useRef<HTMLTextAreaElement>(null)
  // Before paint, so the first keystroke already lands in the box.
  useLayoutEffect(() => box.current!.focus(), [])

  const send = () => {
    // The box itself, not state: keys can arrive before the re-render with the last input.
    // maxlength binds typing only: a script or autofill can set a longer value.
    const comment = box.current!.value.trim().slice(0, maxLength)
    // In the order offered, whatever order they were clicked in.
    const ids = (categories ?? []).map((c) => c.id).filter((id) => chosen.includes(id))
    onDone(rating, { rating, ...(comment && { comment }), ...(ids.length > 0 && { categories: ids }) })
  }
  const toggle = (id: string) => setChosen((list) => (list.includes(id) ? list.filter((c) => c !== id) : [...list, id]))
  const length = text.length

  return (
    <div
      class="card"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return
        // Handled here: a dialog around the widget should not close too.
        e.preventDefault()
        e.stopPropagation()
        onDone(rating)
      }}
    >
      {categories && categories.length > 0 && (
        <>
          <span id="h" class="heading">{labels.categories}</span>
          <div class="chips" role="group" aria-labelledby="h">
            {categories.map((c) => (
              <button key={c.id} type="button" class="chip" aria-pressed={chosen.includes(c.id)} onClick={() => toggle(c.id)}>
                {c.label}
              </button>
            ))}
          </div>
        </>
      )}
      <label for="c">{labels.comment}</label>
      <textarea
        id="c"
        ref={box}
        rows={3}
        value={text}
        maxLength={maxLength}
        placeholder={labels.placeholder}
        aria-describedby="n"
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          // isComposing: Enter that confirms an IME composition is not a send.
          if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return
          e.preventDefault()
          send()
        }}
      />
      <div class="foot">
        <span id="n" class="count">
          <span aria-hidden="true">{length}/{maxLength}</span>
          <span class="sr">{fill(labels.count, { n: length, max: maxLength })}</span>
        </span>
        <button type="button" onClick={() => onDone(rating)}>{labels.skip}</button>
        <button type="button" class="send" onClick={send}>{labels.send}</button>
      </div>
    </div>
  )
}
