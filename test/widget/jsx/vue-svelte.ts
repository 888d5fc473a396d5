/**
 * `<pollen-feedback>` in Vue's `GlobalComponents` and Svelte's
 * `SvelteHTMLElements`, typed by `pollen/widget` alone. `npm test` compiles
 * this file (tsc -p .) against the real `vue` and `svelte` packages; each
 * `@ts-expect-error` fails the build if the element's props become `any` or
 * the entry disappears.
 */
import type { GlobalComponents } from 'vue'
import type { SvelteHTMLElements } from 'svelte/elements'
import type { FeedbackElement } from 'pollen/widget'

/** What a Vue template may pass to `<pollen-feedback>`. */
type VueProps = InstanceType<GlobalComponents['pollen-feedback']>['$props']
export const vue: VueProps = { 'event-id': 'e1', comment: 'always', size: 'compact', categories: '[]', 'user-properties': '{"plan":"pro"}' }
export const vueArray: VueProps = { categories: [{ id: 'wrong', label: 'Incorrect' }] }
// @ts-expect-error event-id is a string
export const vueBadId: VueProps = { 'event-id': 42 }
// @ts-expect-error comment is one of never, on-down, always
export const vueBadComment: VueProps = { comment: 'sometimes' }
/** The instance a template ref gets is the element. */
export const vueElement = (instance: InstanceType<GlobalComponents['pollen-feedback']>): FeedbackElement => instance

/** What a Svelte component may pass to `<pollen-feedback>`, with the HTML attributes of any element. */
type SvelteProps = SvelteHTMLElements['pollen-feedback']
export const svelte: SvelteProps = { 'event-id': 'e1', class: 'feedback', id: 'f1', comment: 'on-down', size: 'regular' }
// @ts-expect-error event-id is a string
export const svelteBadId: SvelteProps = { 'event-id': 42 }
// @ts-expect-error size is compact or regular
export const svelteBadSize: SvelteProps = { size: 'huge' }
