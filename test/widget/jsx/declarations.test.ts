// @vitest-environment node
/**
 * The emitted jsx.d.ts is harmless where React, Preact, Vue and Svelte are all
 * missing, even with `skipLibCheck` off: TypeScript skips the augmentations and
 * the names inside them resolve to the stand-ins. (Where the frameworks are
 * installed, react.tsx and preact.tsx beside this file compile against them.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ts from 'typescript'
import { afterAll, expect, test } from 'vitest'

// Outside the repository, so that no node_modules above it has a framework.
const dir = mkdtempSync(join(tmpdir(), 'pollen-jsx-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('jsx.d.ts compiles with no framework installed and skipLibCheck off', () => {
  const source = readFileSync(new URL('../../../src/widget/jsx.ts', import.meta.url), 'utf8')
  // The declaration of this one file, as the build emits it (it needs no type information).
  const declarations = ts.transpileDeclaration(source, { fileName: 'jsx.ts', compilerOptions: { declaration: true } }).outputText
  for (const framework of ['react', 'preact', 'vue', 'svelte/elements']) expect(declarations).toContain(`declare module '${framework}'`)
  writeFileSync(join(dir, 'jsx.d.ts'), declarations)
  writeFileSync(join(dir, 'app.ts'), "import type { FeedbackAttributes } from './jsx.js'\nexport const a: FeedbackAttributes = { 'event-id': 'e1', size: 'compact' }\n")

  const program = ts.createProgram([join(dir, 'app.ts')], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    skipDefaultLibCheck: true, // TypeScript's own lib files: checking lib.dom.d.ts alone takes seconds
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
  })
  expect(program.getSourceFiles().map((file) => file.fileName).filter((name) => !name.startsWith(dir) && !/\/typescript\/lib\//.test(name))).toEqual([])
  // jsx.d.ts's own imports (./element.js …) are not copied here; anything else it says counts.
  const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
  expect(messages.filter((message) => !/^Cannot find module '\.\/(element|props|vote)\.js'/.test(message))).toEqual([])
}, 60_000) // a TypeScript program of its own: seconds on a busy 2-core machine
