/**
 * The type check `next build` runs on an App Router route module, without the
 * next package: the module's source (importing 'pollen/proxy', resolved to
 * src/) is compiled beside two small checks written from what Next's docs and
 * its build errors say it requires of each exported method, and the errors
 * are returned.
 *
 * - Next 16 requires each method to be assignable to
 *   `(request: NextRequest, context: { params: Promise<…> }) => Response | Promise<Response> | void`.
 * - Next 15 requires the type of each method's second parameter, when it has
 *   one, to be `unknown`/`any` or assignable to `{ params: Promise<…> }`.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = fileURLToPath(new URL('../..', import.meta.url))
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']

const next16 = `
import * as route from './route.js'
type Method = (request: Request & { nextUrl: URL }, context: { params: Promise<{}> }) => Response | Promise<Response> | void | Promise<void>
const methods: { ${METHODS.map((m) => `${m}?: Method`).join('; ')} } = route
export { methods }
`

const next15 = `
import type * as route from './route.js'
type Context<F> = F extends (request: any, ...rest: infer Rest) => any ? (Rest extends [] ? never : Rest[0]) : never
type Fits<C> = [C] extends [never] ? true : unknown extends C ? true : [C] extends [{ params: Promise<any> }] ? true : false
type Route = typeof route
type Checks = { [M in keyof Route]: Fits<Context<Route[M]>> }
const checks: { [M in keyof Route]: true } = {} as Checks
export { checks }
`

/**
 * The errors `next build` would report for each route module, by name ('' when
 * none). Each is compiled as app/<name>/route.ts, all in one program (one
 * compilation of src/ rather than one per route).
 */
export function nextRouteTypeErrors<Name extends string>(routes: Record<Name, string>): Record<Name, string> {
  const app = join(root, '.next-check/app')
  const files: Record<string, string> = {}
  for (const [name, source] of Object.entries<string>(routes)) {
    files[join(app, name, 'route.ts')] = source
    files[join(app, name, 'next15.ts')] = next15
    files[join(app, name, 'next16.ts')] = next16
  }
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: ['node'],
    paths: { 'pollen/proxy': [join(root, 'src/proxy/index.ts')] },
  }
  const host = ts.createCompilerHost(options)
  const { fileExists, readFile, getSourceFile, directoryExists } = host
  host.fileExists = (file) => file in files || fileExists(file)
  host.readFile = (file) => files[file] ?? readFile(file)
  host.directoryExists = (dir) => Object.keys(files).some((file) => file.startsWith(`${dir}/`)) || (directoryExists?.(dir) ?? true)
  host.getSourceFile = (file, language, ...rest) =>
    files[file] === undefined ? getSourceFile(file, language, ...rest) : ts.createSourceFile(file, files[file], language)
  const program = ts.createProgram(Object.keys(files), options, host)
  const format = (diagnostics: readonly ts.Diagnostic[]) =>
    ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' })
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]
  if (global.length > 0) throw new Error(`The Next route check does not compile:\n${format(global)}`)
  const errors = {} as Record<Name, string>
  for (const name of Object.keys(routes) as Name[]) {
    // Only the route and the checks: src/ has its own `npm run typecheck`.
    const diagnostics = ['route.ts', 'next15.ts', 'next16.ts'].flatMap((file) => {
      const sourceFile = program.getSourceFile(join(app, name, file))
      return [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]
    })
    errors[name] = format(diagnostics)
  }
  return errors
}
