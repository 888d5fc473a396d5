import type { PollenClient } from '../client/index.js'
import type { FeedbackLabels } from './labels.js'
import type { Vote } from './vote.js'

/** The part of a Pollen client the widget uses; a test can pass a small fake. */
export type FeedbackClient = Pick<PollenClient, 'feedback' | 'track' | 'records'>

/** A reason offered as a chip on thumbs down: `id` is sent, `label` only shown. */
export interface FeedbackCategory {
  id: string
  label: string
}

/** Props of {@link Feedback}, {@link mountFeedback} and (as properties and defaults) the custom element. */
export interface FeedbackProps {
  /** The client that queues the votes: `createClient()` from `pollen`. */
  client: FeedbackClient
  /**
   * The event the vote is about. A Promise works too (the id of a reply still
   * streaming): a vote given before it resolves is kept and sent once it does.
   * Pass the same Promise on each render; a new one re-targets the widget.
   */
  eventId: string | Promise<string>
  /** Merged over the client's `userProperties` for this vote. */
  userProperties?: Record<string, unknown>
  /** When to offer the comment step: never, after thumbs down (default), or after either thumb. */
  comment?: 'never' | 'on-down' | 'always'
  /** Reasons offered as toggle chips on thumbs down; their ids are sent as `categories`. */
  categories?: FeedbackCategory[]
  /** Overrides any of the English {@link FeedbackLabels}. */
  labels?: Partial<FeedbackLabels>
  /** Called with each vote the user gives (null when they take it back); not for votes restored from an earlier visit. */
  onChange?(vote: Vote | null): void
  /** `compact` for tight rows; default `regular`. */
  size?: 'compact' | 'regular'
  /** Longest comment, in characters. Default 2000. */
  maxLength?: number
  /** Quiet period before a vote goes to the client, so rapid clicks send once. Default 600 ms. */
  settleMs?: number
}
