/** The few icons of the demo, inline so the page needs no asset pipeline. */

export function PollenMark() {
  return (
    <svg class="mark" viewBox="0 0 24 24" aria-hidden="true">
      <circle cx="12" cy="12" r="4.2" />
      {[0, 60, 120, 180, 240, 300].map((angle) => (
        <circle key={angle} cx="12" cy="4.6" r="2.4" transform={`rotate(${angle} 12 12)`} />
      ))}
    </svg>
  )
}

export function SendIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true">
      <path d="M12 19V5M5 12l7-7 7 7" />
    </svg>
  )
}

export function PlusIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true">
      <path d="M12 5v14M5 12h14" />
    </svg>
  )
}

export function ArrowDownIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true">
      <path d="M12 5v14M5 12l7 7 7-7" />
    </svg>
  )
}

/** A small thumb for the inspector's feedback lines; `down` flips it. */
export function ThumbIcon({ down }: { down?: boolean }) {
  return (
    <svg class={down ? 'thumb down' : 'thumb'} viewBox="0 0 24 24" aria-hidden="true">
      <path d="M7 10v11H3V10zM7 10l4-8a3 3 0 0 1 3 3v4h5.5a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.1 21H7" />
    </svg>
  )
}
