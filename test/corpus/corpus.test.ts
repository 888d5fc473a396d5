// @vitest-environment node
/** The chat corpus is valid HoneyHive events, every one different, and the same on every run. */
import { expect, test } from 'vitest'
import { eventSchema } from '../../src/schema/index.js'
import { generateCorpus } from './generate.js'

test('the corpus: 600 valid events, no two alike, the same on every run', () => {
  const corpus = generateCorpus()
  expect(corpus).toHaveLength(600)
  for (const event of corpus) expect(eventSchema.safeParse(event).success).toBe(true)
  expect(new Set(corpus.map((event) => JSON.stringify((event.outputs as { content: string }).content))).size).toBe(600)
  expect(new Set(corpus.map((event) => (event.inputs as { question: string }).question)).size).toBeGreaterThan(500)
  expect(JSON.stringify(generateCorpus())).toBe(JSON.stringify(corpus))
})
