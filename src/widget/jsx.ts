/**
 * `<pollen-feedback>` in the JSX of React 19 and Preact, in Vue templates and
 * in Svelte, typed without a declaration of the user's own: `pollen/widget`'s
 * types import this file, so any program that imports `pollen/widget` has them.
 *
 * Why augmentations here and not one types entry per framework: in a `.d.ts`
 * TypeScript skips, without an error, the augmentation of a module that is not
 * installed (checker.ts, `mergeModuleAugmentation`: "do not validate names of
 * augmentations that are defined in ambient context"), and because this file is
 * a module each block augments the real module, never declares (and shadows) it.
 * What it still checks, with `skipLibCheck` off, is the names used inside a
 * skipped block: those resolve to the stand-ins below, while in an applied block
 * the framework's own exports come first. In test/widget/jsx/, react.tsx,
 * preact.tsx and vue-svelte.ts compile against this file with the real
 * packages, and declarations.test.ts compiles its .d.ts with no framework at all.
 * @module
 */
import type { FeedbackElement } from './element.js'
import type { FeedbackCategory, FeedbackProps } from './props.js'
import type { Vote } from './vote.js'

/** The attributes `<pollen-feedback>` reads; see `defineFeedbackElement`. */
export interface FeedbackAttributes {
  /** The event the vote is about. Change it and the next vote goes to the new event. */
  'event-id'?: string
  /** When to offer the comment step. Default `on-down`. */
  comment?: FeedbackProps['comment']
  /** `compact` for tight rows. Default `regular`. */
  size?: FeedbackProps['size']
  /**
   * Reasons offered on thumbs down, as JSON text, or as the array itself where
   * the framework sets a property the element has (React 19, Preact, Vue and
   * Svelte do once the element is defined).
   */
  categories?: string | FeedbackCategory[]
  /** A JSON object merged over the client's `userProperties` for this vote. */
  'user-properties'?: string
}

/** The change event as a JSX prop: React 19 and Preact add a listener for `on` + the event's exact name. */
interface ChangeListener {
  'onpollen-feedback-change'?: (event: CustomEvent<Vote | null>) => void
}

// Stand-ins for the framework types used in the blocks below, for programs
// where that framework is missing (the block is then skipped, see above).
// Exported only so that the declaration emitter keeps them: it drops a local
// type that the program it runs in resolves to the framework's own.
export type DetailedHTMLProps<E, _T> = E
export type HTMLAttributes<_T = unknown> = Record<never, never>
export type ClassAttributes<_T> = Record<never, never>
export type ComponentProps<_C> = Record<never, never>

// Each `@ts-ignore` below: in a .ts source (this one, not the .d.ts it
// becomes) augmenting a module that is not in the program is error TS2664.
// React, Vue and Svelte are not dependencies of the library (only of its tests).

// @ts-ignore see above
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'pollen-feedback': DetailedHTMLProps<HTMLAttributes<FeedbackElement>, FeedbackElement> & FeedbackAttributes & ChangeListener
    }
  }
}

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      // Preact's HTMLAttributes is re-exported (`export *`), so out of this block's scope: take a span's, with the ref of this element.
      'pollen-feedback': Omit<ComponentProps<'span'>, 'ref'> & ClassAttributes<FeedbackElement> & FeedbackAttributes & ChangeListener
    }
  }
}

// Vue's documented way for custom elements ("Non-Vue Web Components and TypeScript"); class, style, key and ref come with every component.
// @ts-ignore see above
declare module 'vue' {
  interface GlobalComponents {
    'pollen-feedback': new () => FeedbackElement & { $props: FeedbackAttributes }
  }
}

// @ts-ignore see above
declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'pollen-feedback': HTMLAttributes<FeedbackElement> & FeedbackAttributes
  }
}
