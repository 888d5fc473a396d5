/**
 * Stable error codes. The synchronous API only throws `invalid-event`,
 * `invalid-options` and `client-closed`; every other code reaches the page
 * through the `onError` option, never as a throw.
 */
export type PollenErrorCode =
  | 'invalid-event'
  | 'invalid-options'
  | 'client-closed'
  | 'storage-unavailable'
  | 'rejected'
  | 'queue-full'
  | 'before-send'

/** One problem found in a value: where it is and what was expected there. */
export interface PollenIssue {
  /** Path from the value's root, e.g. `['config', 'hyperparameters', 'stop', 0]`. */
  path: (string | number)[]
  /** What was wrong, e.g. `expected a string, got undefined`. */
  message: string
}

/**
 * The one error type Pollen raises or reports. Check `code` rather than the
 * message; `issues` lists the offending paths for `invalid-event`.
 */
export class PollenError extends Error {
  readonly code: PollenErrorCode
  readonly issues: PollenIssue[]

  constructor(code: PollenErrorCode, message: string, issues: PollenIssue[] = []) {
    super(message)
    this.name = 'PollenError'
    this.code = code
    this.issues = issues
  }
}

/** Renders a path as `config.hyperparameters.stop[0]`; the root is `(root)`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part
    else out += `[${JSON.stringify(part)}]`
  }
  return out || '(root)'
}

/**
 * Renders issues as one line, each as `path: message`, separated by `; `: the
 * form every message of Pollen's (client, proxy and collector) lists them in.
 */
export function formatIssues(issues: readonly PollenIssue[]): string {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ')
}

/** Builds an `invalid-event` error whose message lists every issue with its path. */
export function invalidEvent(what: string, issues: PollenIssue[]): PollenError {
  return new PollenError('invalid-event', `Invalid ${what}: ${formatIssues(issues)}`, issues)
}
