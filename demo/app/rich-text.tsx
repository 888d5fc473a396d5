/**
 * The answers' only markup: `backticks` become code. Built as elements,
 * never as HTML from a string, so an answer cannot inject markup.
 */
export function RichText({ text }: { text: string }) {
  // Odd parts sat between backticks; an unclosed one (still streaming) shows as code already.
  const parts = text.split('`')
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>
}
