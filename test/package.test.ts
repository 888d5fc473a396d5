// @vitest-environment node
/** What the npm tarball holds and asks for: the library, its licence, no demo, no peer it never imports. */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { expect, test } from 'vitest'

const root = new URL('../', import.meta.url)
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'))

test('the tarball has the library and a LICENSE, and not the demo build', () => {
  expect(pkg.files).toEqual(['dist', '!dist/demo'])
  expect(pkg.license).toBe('MIT')
  expect(readFileSync(new URL('LICENSE', root), 'utf8')).toMatch(/^MIT License/)
})

test('@preact/signals, which only the demo imports, is no peer dependency; the peers the library imports are', () => {
  const sources = readdirSync(new URL('src/', root), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => readFileSync(new URL(`src/${file}`, root), 'utf8'))
    .join('\n')
  expect(Object.keys(pkg.peerDependencies)).not.toContain('@preact/signals')
  expect(sources).not.toMatch(/from '@preact\/signals'/)
  // openai and redis are duck-typed (types and tests only); preact and better-sqlite3 are imported.
  for (const peer of ['preact', 'better-sqlite3']) expect(sources, peer).toMatch(new RegExp(`from '${peer}`))
  expect(existsSync(new URL('node_modules/@preact/signals', root))).toBe(true) // still a devDependency, for the demo
})
