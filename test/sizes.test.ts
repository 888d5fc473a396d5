// @vitest-environment node
/**
 * Bundles each entry as a user would: each stays under its gate, no zod
 * reaches a browser or the proxy, and the README's size table is current.
 * `npm run sizes` (WRITE_SIZES=1) rewrites the table instead.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { beforeAll, expect, test } from 'vitest'
import { measureSizes, sizesTable, withTable, type EntrySize } from './support/sizes.js'

const README = new URL('../README.md', import.meta.url)

let sizes: EntrySize[]
beforeAll(async () => {
  sizes = await measureSizes()
}, 120_000)

test('each entry stays under its gate (min+gzip)', () => {
  for (const size of sizes) expect(size.gzip, `${size.name} is ${size.gzip} B min+gzip`).toBeLessThanOrEqual(size.gate)
})

test('no zod in pollen, pollen/widget or pollen/proxy: the browser and the proxy check with the compiled contract', () => {
  for (const size of sizes) {
    expect(size.modules.length, size.name).toBeGreaterThan(0)
    expect(size.modules.filter((id) => /[\\/]node_modules[\\/]zod[\\/]/.test(id) || /[\\/]src[\\/]schema[\\/]/.test(id)), size.name).toEqual([])
  }
})

test('the README shows the sizes the entries have now', () => {
  const table = sizesTable(sizes)
  const readme = readFileSync(README, 'utf8')
  const current = withTable(readme, table)
  if (process.env.WRITE_SIZES) writeFileSync(README, current)
  else expect(readme, 'README.md has stale sizes: run npm run sizes').toBe(current)
})
