/** The app's state, as signals: components read what they show and re-render only for that. */
import { signal } from '@preact/signals'
import type { ClientStats } from 'pollen'
import type { DemoStatus, StoredEvent } from './api.js'

/** A message of the conversation, as kept in sessionStorage. */
export interface Message {
  id: string
  role: 'user' | 'assistant'
  text: string
  /** The answer's model event: what the feedback widget rates. */
  eventId?: string
  /** The pages the answer was drawn from. */
  sources?: { id: string; title: string }[]
  /** The model failed; `text` says how. */
  failed?: boolean
}

export const messages = signal<Message[]>([])

/** The answer being streamed: its message id, or null. Its text is in {@link draft}. */
export const answering = signal<string | null>(null)

/** The text streamed so far. Only the streaming message reads it, so a token re-renders one bubble. */
export const draft = signal('')

/** `GET /api/demo/status`, or null until it answered. */
export const status = signal<DemoStatus | null>(null)

/** Whether the page has the dev server's demo routes (fault switch, model relay); false for the static build. */
export const devServer = signal<boolean | null>(null)

/** The client's stats, from `hh.subscribe()`. */
export const stats = signal<ClientStats | null>(null)

/** The last background error the client reported through `onError`. */
export const lastError = signal<string | null>(null)

/** Whether "Go offline" is on. */
export const offline = signal(false)

/** On phones one panel shows at a time: the chat or the inspector. */
export const panel = signal<'chat' | 'inspector'>('chat')

/** The session as the collector stored it, refreshed while the inspector shows. */
export const collector = signal<{ events: StoredEvent[]; error?: string; at?: number }>({ events: [] })
