import { idf, terms, type Hit } from './retrieve.js'

/** Said when no page matches: what the assistant does know about. */
const NOTHING_FOUND =
  "I couldn't find that in the Pollen pages I know. Try asking how Pollen queues, batches or retries events, " +
  'what happens when the tab closes, or how the feedback widget, the proxy and the collector work.'

const LEAD_INS = [
  (title: string) => `From “${title}”:`,
  (title: string) => `The docs cover this under “${title}”.`,
  () => 'Here is what the Pollen docs say.',
]

/** A small, stable hash (FNV-1a), so the same question always picks the same lead-in. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** Sentences end with a period followed by a space and a capital, a backtick or a quote. */
function sentences(text: string): string[] {
  return text.split(/(?<=\.)\s+(?=[A-Z`'“])/)
}

interface Scored {
  sentence: string
  position: number
  /** The idf of the question's words it contains: rare shared words weigh most. */
  score: number
  /** How many of those words are rare enough to say something (in at most a third of the pages). */
  telling: number
}

/** idf of a word found in a third of the pages; commoner words ("event", "send") tell little. */
const TELLING_IDF = 1

/** A page's sentences, best match first (ties: page order). */
function rank(text: string, wanted: Set<string>): Scored[] {
  return sentences(text)
    .map((sentence, position) => {
      const shared = new Set(terms(sentence).filter((term) => wanted.has(term)))
      const weights = [...shared].map(idf)
      const telling = weights.filter((weight) => weight >= TELLING_IDF).length
      return { sentence, position, score: weights.reduce((sum, weight) => sum + weight, 0), telling }
    })
    .sort((a, b) => b.score - a.score || a.position - b.position)
}

/**
 * The local assistant's answer: a lead-in and two or three sentences lifted
 * from the best pages. No sampling, so the same question always gets the same
 * answer, which keeps the demo and its tests reproducible.
 */
export function composeAnswer(question: string, hits: Hit[]): string {
  const [best, second] = hits
  if (!best) return NOTHING_FOUND
  const wanted = new Set(terms(question))
  const ranked = rank(best.passage.text, wanted)
  const [first, next] = ranked as [Scored, Scored | undefined]
  // The best sentence, then one that matches nearly as well, or else the page's opening (its topic sentence).
  const opening = ranked.find((s) => s.position === 0)!
  const companion = next && next.score >= first.score * 0.5 ? next : first === opening ? next : opening
  const picked = companion ? [first, companion].sort((a, b) => a.position - b.position) : [first]
  // The runner-up page adds a sentence only if it matched about as well, with two telling words or more.
  const extra = second && second.score >= best.score * 0.6 ? rank(second.passage.text, wanted)[0] : undefined
  if (extra && extra.telling >= 2) picked.push(extra)
  const leadIn = LEAD_INS[hash(terms(question).join(' ')) % LEAD_INS.length]!(best.passage.title)
  return `${leadIn} ${picked.map((s) => s.sentence).join(' ')}`
}
