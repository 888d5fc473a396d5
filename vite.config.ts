import { playwright } from '@vitest/browser-playwright'
import ts from 'typescript'
import type { Plugin } from 'vite'
import { defineConfig } from 'vitest/config'
import { CHROMIUM_ARGS, findChromium, requireChromium } from './test/support/chromium.ts'

/** Library entries: `pollen` and (in later issues) its subpaths. */
const entries = { index: 'src/index.ts' }

/** Writes `.d.ts` files for the entries next to the bundles, with TypeScript's own emitter. */
function declarations(): Plugin {
  return {
    name: 'pollen:declarations',
    apply: 'build',
    closeBundle() {
      const program = ts.createProgram(Object.values(entries), {
        declaration: true,
        emitDeclarationOnly: true,
        outDir: 'dist',
        rootDir: 'src',
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        strict: true,
        skipLibCheck: true,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      })
      const result = program.emit()
      const errors = ts.getPreEmitDiagnostics(program).concat(result.diagnostics)
      if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, ts.createCompilerHost({})))
    },
  }
}

// Vitest evaluates this file too; only then is Chromium required.
const chromiumPath = process.env.VITEST ? requireChromium() : findChromium()

export default defineConfig({
  plugins: [declarations()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    lib: { entry: entries, formats: ['es'], fileName: (_format, name) => `${name}.js` },
    rolldownOptions: {
      external: [/^zod(\/.*)?$/],
      output: { minify: true },
    },
  },
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'test/e2e/**', 'test/bench/**'],
          environment: 'happy-dom',
          setupFiles: ['fake-indexeddb/auto'],
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath: chromiumPath, args: CHROMIUM_ARGS } }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
