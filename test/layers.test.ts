// @vitest-environment node
/** The layers of src/ point one way: each folder imports none of the folders named against it. */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const SRC = new URL('../src/', import.meta.url).pathname

/** Folders a folder of src/ must not import. */
const FORBIDDEN: Record<string, string[]> = {
  honeyhive: ['transport', 'proxy', 'collector', 'server', 'cli', 'client', 'queue', 'widget'],
  server: ['honeyhive', 'transport', 'proxy', 'collector', 'cli', 'client', 'queue', 'widget'],
  transport: ['proxy', 'collector', 'server', 'cli', 'client', 'queue', 'widget'],
  proxy: ['transport', 'collector', 'cli', 'client', 'queue', 'widget'],
  collector: ['proxy', 'transport', 'cli', 'client', 'queue', 'widget'],
}

/** The src/ folders a folder's files import, from their `from '../<folder>/…'` clauses. */
function importedFolders(folder: string): Set<string> {
  const found = new Set<string>()
  for (const file of readdirSync(join(SRC, folder), { recursive: true, encoding: 'utf8' })) {
    if (!/\.tsx?$/.test(file)) continue
    for (const match of readFileSync(join(SRC, folder, file), 'utf8').matchAll(/from '(?:\.\.\/)+([\w-]+)\//g)) found.add(match[1]!)
  }
  return found
}

test.each(Object.entries(FORBIDDEN))('src/%s imports none of %j', (folder, forbidden) => {
  expect([...importedFolders(folder)].filter((name) => forbidden.includes(name))).toEqual([])
})
