// @vitest-environment node
/**
 * Bundles each entry as a user would and checks the README's size table is
 * current. `npm run sizes` (WRITE_SIZES=1) rewrites the table instead.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { measureSizes, sizesTable, withTable } from './support/sizes.js'

const README = new URL('../README.md', import.meta.url)

test('the README shows the sizes the entries have now', async () => {
  const table = sizesTable(await measureSizes())
  const readme = readFileSync(README, 'utf8')
  const current = withTable(readme, table)
  if (process.env.WRITE_SIZES) writeFileSync(README, current)
  else expect(readme, 'README.md has stale sizes: run npm run sizes').toBe(current)
}, 120_000)
