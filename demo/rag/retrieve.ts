import { docs, type Passage } from './docs.js'

/** A retrieved passage and how well it matched. */
export interface Hit {
  passage: Passage
  score: number
}

// Words that match everything and so say nothing about which page to pick.
const STOPWORDS = new Set(
  ('a an and are as at be by can do does for from how i if in is it its me my of on or so that the this to what when ' +
    'where which who why will with you your pollen')
    .split(' '),
)

/** Lowercase words without stopwords, crudely stemmed so "retries", "retry" and "retried" meet. */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
    .filter((word) => !STOPWORDS.has(word))
    .map((word) => (word.length > 4 ? word.replace(/(ies|ied|y|ing|ed|es|s)$/, '') : word))
}

// BM25's usual constants: k1 caps how much repeating a word helps, b how much long pages are discounted.
const K1 = 1.2
const B = 0.75

/** Per-page term counts, built on first use (not at import). */
let index: { counts: Map<string, number>[]; lengths: number[]; avg: number; df: Map<string, number> } | undefined

function build() {
  // The title counts twice: a page titled "Retries" is about retries.
  const counts = docs.map((doc) => {
    const map = new Map<string, number>()
    for (const term of terms(`${doc.title} ${doc.title} ${doc.text}`)) map.set(term, (map.get(term) ?? 0) + 1)
    return map
  })
  const lengths = counts.map((map) => [...map.values()].reduce((a, b) => a + b, 0))
  const df = new Map<string, number>()
  for (const map of counts) for (const term of map.keys()) df.set(term, (df.get(term) ?? 0) + 1)
  return { counts, lengths, avg: lengths.reduce((a, b) => a + b, 0) / lengths.length, df }
}

/** How rare a word is across the pages (BM25's idf): "event" says little, "beacon" a lot. */
export function idf(term: string): number {
  index ??= build()
  const n = index.df.get(term) ?? 0
  return Math.log(1 + (docs.length - n + 0.5) / (n + 0.5))
}

/**
 * The `limit` pages that best match the query, best first, by BM25 over the
 * page's words (a "BM25-lite": no phrases, no synonyms). Deterministic: the
 * same query always returns the same pages and scores.
 */
export function retrieve(query: string, limit = 3): Hit[] {
  index ??= build()
  const { counts, lengths, avg } = index
  const queryTerms = [...new Set(terms(query))]
  const hits = docs.map((passage, i) => {
    let score = 0
    for (const term of queryTerms) {
      const tf = counts[i]!.get(term) ?? 0
      if (tf === 0) continue
      score += (idf(term) * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * lengths[i]!) / avg))
    }
    return { passage, score: Math.round(score * 1000) / 1000 }
  })
  return hits
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score || a.passage.id.localeCompare(b.passage.id))
    .slice(0, limit)
}
