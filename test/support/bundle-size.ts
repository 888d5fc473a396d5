/**
 * Measures what Pollen costs a user's bundle: the entry code is bundled the
 * way an app would (Vite's `build()`, minified, zod bundled in, `pollen`
 * resolved to the sources), then gzipped at level 9. The bench reports it; a
 * size-budget test can gate it.
 */
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, type Plugin, type Rolldown } from 'vite'

const root = fileURLToPath(new URL('../..', import.meta.url))
/** A module that exists only in this build; Vite's library mode makes the entry path absolute, hence `endsWith`. */
const ENTRY = 'virtual:pollen-size-entry'
const RESOLVED = `\0${ENTRY}`

/** Serves `code` as the bundle's only entry module. */
function entry(code: string): Plugin {
  return {
    name: 'pollen:size-entry',
    resolveId: (id) => (id.endsWith(ENTRY) ? RESOLVED : undefined),
    load: (id) => (id === RESOLVED ? code : undefined),
  }
}

/** Bytes of the minified bundle and of its gzip (level 9), summed over the JS chunks. */
export interface BundleSize {
  min: number
  gzip: number
  /** The minified code, all chunks joined. */
  code: string
  /** Every module bundled in, by id (absolute paths for files). */
  modules: string[]
}

/**
 * Bundles `entryCode` (e.g. `export { createClient } from 'pollen'`) and
 * returns its size. Use `export`, not a bare `import`: an import that is never
 * used is tree-shaken to nothing.
 */
export async function bundleSize(entryCode: string): Promise<BundleSize> {
  const result = await build({
    root,
    configFile: false,
    logLevel: 'silent',
    mode: 'production',
    plugins: [entry(entryCode)],
    // Under Vitest NODE_ENV is 'test', and JSX would compile in development
    // mode (file names, line numbers): build what a user's production build makes.
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
    // Libraries keep development-only branches behind it (mixpanel-browser does).
    define: { 'process.env.NODE_ENV': '"production"' },
    resolve: {
      alias: [
        { find: /^pollen$/, replacement: `${root}src/index.ts` },
        // Subpaths such as `pollen/proxy` build from src/<name>/index.ts.
        { find: /^pollen\/(.+)$/, replacement: `${root}src/$1/index.ts` },
      ],
    },
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      // Library mode keeps the entry's exports; an app build would drop them
      // and with them everything they pull in.
      lib: { entry: ENTRY, formats: ['es'], fileName: 'entry' },
      rolldownOptions: { output: { minify: true, codeSplitting: false } },
    },
  })
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[]
  let min = 0
  let gzip = 0
  let all = ''
  const modules: string[] = []
  for (const { output } of outputs) {
    for (const chunk of output) {
      if (chunk.type !== 'chunk') continue
      modules.push(...chunk.moduleIds)
      const code = Buffer.from(chunk.code, 'utf8')
      min += code.length
      gzip += gzipSync(code, { level: 9 }).length
      all += chunk.code
    }
  }
  if (min === 0) throw new Error('bundleSize: the build produced no JavaScript; does the entry export anything?')
  return { min, gzip, code: all, modules }
}
