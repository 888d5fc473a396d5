/**
 * Every string the widget shows or speaks, so a page can translate all of
 * them. Plain strings (no functions) so a translation can come from JSON;
 * `{n}`, `{max}` and `{reason}` are filled in where noted.
 */
export interface FeedbackLabels {
  /** Accessible name of the whole control. */
  prompt: string
  /** Accessible name of the thumbs-up button. */
  up: string
  /** Accessible name of the thumbs-down button. */
  down: string
  /** Status while the vote is handed to the client but not yet confirmed. */
  sending: string
  /** Status while the browser is offline. */
  offline: string
  /** Status while a failed send waits for its retry. */
  retry: string
  /** Status once the server has the vote. */
  saved: string
  /** Status when the vote could not be delivered; `{reason}` is the cause. */
  failed: string
  /** Heading of the category chips, offered on thumbs down. */
  categories: string
  /** Visible label of the comment box. */
  comment: string
  /** Placeholder of the comment box. */
  placeholder: string
  /** The button that sends the comment. */
  send: string
  /** The button that closes the comment step and keeps the vote. */
  skip: string
  /** Spoken form of the character counter; `{n}` and `{max}`. */
  count: string
}

/** The English labels used for any label a page leaves out. */
export const defaultLabels: FeedbackLabels = {
  prompt: 'Was this response helpful?',
  up: 'Good response',
  down: 'Bad response',
  sending: 'Sending…',
  offline: 'Will send when online',
  retry: 'Not sent yet, will retry',
  saved: 'Thanks for your feedback',
  failed: 'Not sent: {reason}',
  categories: 'What went wrong?',
  comment: 'Tell us more (optional)',
  placeholder: 'What could be better?',
  send: 'Send',
  skip: 'Skip',
  count: '{n} of {max} characters',
}

/** Replaces each `{name}` in `template` with `values[name]`. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (match, name: string) => String(values[name] ?? match))
