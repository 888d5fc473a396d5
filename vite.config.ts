import { fileURLToPath } from 'node:url'
import { playwright } from '@vitest/browser-playwright'
import ts from 'typescript'
import type { Plugin } from 'vite'
import { defineConfig } from 'vitest/config'
import { pollenDemo } from './demo/server/plugin.ts'
import { CHROMIUM_ARGS, findChromium, requireChromium } from './test/support/chromium.ts'

/**
 * Library entries: `pollen` (browser), `pollen/widget` (browser, Preact),
 * `pollen/openai` (browser, completions of OpenAI-compatible clients),
 * `pollen/proxy` (web-standard server) and its Redis state `pollen/proxy/redis`,
 * `pollen/collector` and its CLI (Node).
 */
const entries = {
  index: 'src/index.ts',
  widget: 'src/widget/index.ts',
  proxy: 'src/proxy/index.ts',
  'proxy-redis': 'src/proxy/redis/index.ts',
  openai: 'src/openai/index.ts',
  collector: 'src/collector/index.ts',
  cli: 'src/cli/collector.ts',
}

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
        jsx: ts.JsxEmit.ReactJSX,
        jsxImportSource: 'preact',
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
        types: ['node'],
      })
      const result = program.emit()
      const errors = ts.getPreEmitDiagnostics(program).concat(result.diagnostics)
      if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, ts.createCompilerHost({})))
    },
  }
}

// Vitest evaluates this file too; only then is Chromium required.
const chromiumPath = process.env.VITEST ? requireChromium() : findChromium()

/** The demo imports the library by its package name, as an app would; here it resolves to the sources. */
const alias = [
  { find: /^pollen$/, replacement: fileURLToPath(new URL('src/index.ts', import.meta.url)) },
  { find: /^pollen\/widget$/, replacement: fileURLToPath(new URL('src/widget/index.ts', import.meta.url)) },
  { find: /^pollen\/proxy$/, replacement: fileURLToPath(new URL('src/proxy/index.ts', import.meta.url)) },
  { find: /^pollen\/proxy\/redis$/, replacement: fileURLToPath(new URL('src/proxy/redis/index.ts', import.meta.url)) },
  { find: /^pollen\/openai$/, replacement: fileURLToPath(new URL('src/openai/index.ts', import.meta.url)) },
]

/** `vite build --mode demo`: the demo as static files in dist/demo, after the library build. */
const demoBuild = {
  outDir: 'dist/demo',
  emptyOutDir: false,
  target: 'es2022',
}

export default defineConfig(({ mode }) => ({
  // `npm start`: the demo on http://localhost:5173 with the proxy, the collector and the demo routes.
  plugins: [...(mode === 'demo' ? [] : [declarations()]), ...(process.env.VITEST ? [] : [pollenDemo()])],
  resolve: { alias },
  server: { port: 5173 },
  build: mode === 'demo' ? demoBuild : {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    lib: { entry: entries, formats: ['es'], fileName: (_format, name) => `${name}.js` },
    rolldownOptions: {
      external: [/^zod(\/.*)?$/, /^preact(\/.*)?$/, /^@preact\/signals/, 'better-sqlite3', /^node:/],
      output: { minify: true },
    },
  },
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/browser/**', 'test/e2e/**', 'test/bench/**'],
          environment: 'happy-dom',
          setupFiles: ['fake-indexeddb/auto'],
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.{ts,tsx}'],
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
      {
        // Only `npm run chaos` runs it: `npm test` names its projects (and runs a reduced case in e2e).
        test: {
          name: 'chaos',
          include: ['test/chaos/**/*.chaos.ts'],
          environment: 'node',
          testTimeout: 900_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Only `npm run bench` runs it: `npm test` names its projects.
        test: {
          name: 'bench',
          include: ['test/bench/**/*.bench.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
}))
