/**
 * A thumb, up or down (the same outline turned half a turn). Decorative: the
 * button around it carries the name. Stroke and size come from the stylesheet;
 * the cuff is apart from the hand so the two still read when filled (pressed).
 */
export const Thumb = ({ down }: { down?: boolean }) => (
  <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    <path
      transform={down ? 'rotate(180 12 12)' : undefined}
      d="M2.5 11.5a1 1 0 0 1 1-1h2v10.5h-2a1 1 0 0 1-1-1zM9 10.5l3-6.8a2 2 0 0 1 3.7 1.5L15 9.5h4.2a2 2 0 0 1 2 2.4l-1.4 7.4a2 2 0 0 1-2 1.7H9z"
    />
  </svg>
)
