/**
 * USD per million tokens (input, output), OpenAI's list prices when this was
 * written. A model not listed gets no `cost` rather than a wrong one.
 */
const PRICES: Record<string, [input: number, output: number]> = {
  'gpt-4o-mini': [0.15, 0.6],
  'gpt-4o': [2.5, 10],
  'gpt-4.1-mini': [0.4, 1.6],
  'gpt-4.1-nano': [0.1, 0.4],
}

/** The prices of a model, for `pollen/openai`'s `prices`: free for the local model, undefined when unknown. */
export function pricesOf(provider: string, model: string): { input: number; output: number } | undefined {
  if (provider === 'local') return { input: 0, output: 0 }
  // Providers name dated versions (gpt-4o-mini-2024-07-18); the longest listed prefix wins.
  const name = Object.keys(PRICES).sort((a, b) => b.length - a.length).find((known) => model.startsWith(known))
  if (!name) return undefined
  const [input, output] = PRICES[name]!
  return { input, output }
}
