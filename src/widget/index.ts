/**
 * `pollen/widget`: thumbs up/down feedback under an LLM answer, with an
 * optional comment step, that tells the truth about delivery and survives a
 * reload. Three ways in, one widget: {@link Feedback} for Preact,
 * {@link mountFeedback} for any page, {@link defineFeedbackElement} for a
 * `<pollen-feedback>` custom element. It renders in a shadow root.
 *
 * Theme it with CSS custom properties on the widget or an ancestor:
 * `--pollen-accent`, `--pollen-fg`, `--pollen-bg` (also the Send button's
 * text), `--pollen-muted`, `--pollen-border`, `--pollen-danger`,
 * `--pollen-focus`, `--pollen-radius`, `--pollen-gap`, `--pollen-font`.
 * Defaults follow `prefers-color-scheme`; see src/widget/styles.ts.
 *
 * @example
 * import { mountFeedback } from 'pollen/widget'
 * mountFeedback(element, { client: hh, eventId: id, categories: [{ id: 'wrong', label: 'Incorrect' }] })
 * @module
 */
export { Feedback } from './feedback.js'
export { mountFeedback } from './mount.js'
export { defineFeedbackElement } from './element.js'
export type { FeedbackElement } from './element.js'
// Also brings the JSX types of `<pollen-feedback>` for React, Preact, Vue and Svelte (see jsx.ts).
export type { FeedbackAttributes } from './jsx.js'
export type { FeedbackLabels } from './labels.js'
export type { FeedbackCategory, FeedbackClient, FeedbackProps } from './props.js'
export type { FeedbackStatus, Vote } from './vote.js'
