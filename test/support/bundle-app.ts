/**
 * Bundles a test page's script the way a user's bundler would: one minified
 * ESM file, `pollen` and `pollen/widget` resolved to the sources.
 */
import { fileURLToPath } from 'node:url'
import { build, type Rolldown } from 'vite'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Returns the code of `entry` (a path) with everything it imports. */
export async function bundleApp(entry: string): Promise<string> {
  const result = await build({
    root,
    configFile: false,
    logLevel: 'silent',
    mode: 'production',
    resolve: {
      alias: [
        { find: /^pollen$/, replacement: `${root}src/index.ts` },
        { find: /^pollen\/widget$/, replacement: `${root}src/widget/index.ts` },
        { find: /^pollen\/openai$/, replacement: `${root}src/openai/index.ts` },
      ],
    },
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: 'app' },
      rolldownOptions: { output: { minify: true, codeSplitting: false } },
    },
  })
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[]
  return outputs.flatMap((o) => o.output).filter((chunk) => chunk.type === 'chunk').map((chunk) => chunk.code).join('\n')
}
