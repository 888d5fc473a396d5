/**
 * Bundles code the way an app's production build would: Vite, minified, one
 * ES module, `process.env.NODE_ENV` set to "production" (mixpanel-browser
 * keeps development-only branches behind it), `pollen` resolved to the
 * sources. The bench uses it twice per library: for the size of the library's
 * entry, and for the script of the library's page.
 */
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, type Plugin, type Rolldown } from 'vite'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const ENTRY = 'virtual:pollen-peer-entry'
const RESOLVED = `\0${ENTRY}`

/** Serves `code` as the bundle's only entry module; library mode makes the id absolute, hence `endsWith`. */
function entry(code: string): Plugin {
  return {
    name: 'pollen:peer-entry',
    resolveId: (id) => (id.endsWith(ENTRY) ? RESOLVED : undefined),
    load: (id) => (id === RESOLVED ? code : undefined),
  }
}

export interface Bundle {
  /** The minified module. */
  code: string
  /** Its bytes, and the bytes of its gzip at level 9. */
  min: number
  gzip: number
}

/**
 * Bundles `entryCode`, e.g. `export { default } from 'posthog-js'`. It must
 * export what it wants kept: a bare import of a side-effect-free package is
 * tree-shaken to nothing.
 */
export async function bundle(entryCode: string): Promise<Bundle> {
  const result = await build({
    root,
    configFile: false,
    logLevel: 'silent',
    mode: 'production',
    plugins: [entry(entryCode)],
    define: { 'process.env.NODE_ENV': '"production"' },
    resolve: { alias: [{ find: /^pollen$/, replacement: `${root}src/index.ts` }] },
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      // Library mode keeps the entry's exports, and with them what they use.
      lib: { entry: ENTRY, formats: ['es'], fileName: 'entry' },
      rolldownOptions: { output: { minify: true, codeSplitting: false } },
    },
  })
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[]
  const chunks = outputs.flatMap(({ output }) => output).filter((chunk) => chunk.type === 'chunk')
  if (chunks.length !== 1) throw new Error(`bundle: expected one chunk for ${entryCode}, got ${chunks.length}`)
  const code = chunks[0]!.code
  const bytes = Buffer.from(code, 'utf8')
  return { code, min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
}
