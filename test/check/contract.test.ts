// @vitest-environment node
/**
 * src/check/contract.ts is what the zod schemas say now. `npm run contract`
 * (WRITE_CONTRACT=1) rewrites it instead of failing.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { contractSource } from '../support/contract.js'

const FILE = new URL('../../src/check/contract.ts', import.meta.url)

test('the committed contract is generated from the current zod schemas', () => {
  const source = contractSource()
  if (process.env.WRITE_CONTRACT) writeFileSync(FILE, source)
  else expect(readFileSync(FILE, 'utf8'), 'src/check/contract.ts is stale: run npm run contract').toBe(source)
})
