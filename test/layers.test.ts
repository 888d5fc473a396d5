// @vitest-environment node
/**
 * The import graph of src/: layers point one way (each folder imports none of
 * the folders named against it), code that runs in browsers or the proxy
 * imports the zod schemas for their types only, and no module imports itself
 * back through others.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { expect, test } from 'vitest'

const SRC = new URL('../src/', import.meta.url).pathname

/** Folders a folder of src/ must not import. */
const FORBIDDEN: Record<string, string[]> = {
  check: ['schema', 'honeyhive', 'transport', 'proxy', 'collector', 'server', 'cli', 'client', 'queue', 'widget'],
  schema: ['honeyhive', 'transport', 'proxy', 'collector', 'server', 'cli', 'client', 'queue', 'widget'],
  honeyhive: ['transport', 'proxy', 'collector', 'server', 'cli', 'client', 'queue', 'widget'],
  server: ['honeyhive', 'transport', 'proxy', 'collector', 'cli', 'client', 'queue', 'widget'],
  queue: ['transport', 'proxy', 'collector', 'server', 'cli', 'client', 'widget'],
  transport: ['queue', 'proxy', 'collector', 'server', 'cli', 'client', 'widget'],
  client: ['proxy', 'collector', 'server', 'cli', 'widget'],
  widget: ['queue', 'transport', 'proxy', 'collector', 'server', 'cli'],
  proxy: ['transport', 'collector', 'cli', 'client', 'queue', 'widget'],
  collector: ['proxy', 'transport', 'cli', 'client', 'queue', 'widget'],
  // Completions talk to the client's public API only (types), never to its insides.
  openai: ['queue', 'transport', 'proxy', 'collector', 'server', 'cli', 'widget', 'honeyhive'],
}
/** Folders whose code runs in browsers or the proxy: zod stays out of them (see test/sizes.test.ts for the bundles). */
const ZOD_FREE = ['check', 'honeyhive', 'server', 'queue', 'transport', 'client', 'widget', 'proxy', 'openai']

interface Import {
  file: string
  target: string
  typeOnly: boolean
}

/** Every relative import of src/, resolved to a file path under src/. */
function imports(): Import[] {
  const out: Import[] = []
  for (const file of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
    if (!/\.tsx?$/.test(file)) continue
    const text = readFileSync(join(SRC, file), 'utf8')
    for (const match of text.matchAll(/^(?:import|export)(\s+type)?\s[^'"]*?from '(\.[^']+)'/gm)) {
      const target = normalize(join(dirname(file), match[2]!)).replace(/\.js$/, '')
      out.push({ file: file.replace(/\.tsx?$/, ''), target, typeOnly: Boolean(match[1]) })
    }
  }
  return out
}

const folderOf = (path: string) => path.split('/')[0]!

test.each(Object.entries(FORBIDDEN))('src/%s imports none of %j', (folder, forbidden) => {
  const wrong = imports().filter((i) => folderOf(i.file) === folder && forbidden.includes(folderOf(i.target)))
  expect(wrong.map((i) => `${i.file} → ${i.target}`)).toEqual([])
})

test('browser and proxy code imports src/schema (zod) for types only', () => {
  const wrong = imports().filter((i) => ZOD_FREE.includes(folderOf(i.file)) && folderOf(i.target) === 'schema' && !i.typeOnly)
  expect(wrong.map((i) => `${i.file} → ${i.target}`)).toEqual([])
})

test('no import cycle between modules', () => {
  const graph = new Map<string, string[]>()
  for (const i of imports()) if (!i.typeOnly) graph.set(i.file, [...(graph.get(i.file) ?? []), i.target.replace(/\/index$/, '/index')])
  const cycles: string[] = []
  const state = new Map<string, 'open' | 'done'>()
  const visit = (node: string, trail: string[]) => {
    if (state.get(node) === 'done') return
    if (state.get(node) === 'open') return void cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '))
    state.set(node, 'open')
    for (const next of graph.get(node) ?? []) visit(next, [...trail, node])
    state.set(node, 'done')
  }
  for (const node of graph.keys()) visit(node, [])
  expect(cycles).toEqual([])
  expect(graph.size, `${relative('.', SRC)} has modules`).toBeGreaterThan(50)
})
