/** A chat message as OpenAI-compatible APIs take it. */
export interface ChatMessage {
  role: string
  content?: unknown
  [field: string]: unknown
}

/** Options of `observeOpenAI`, for every call of the client; a call's own (`{ pollen: … }`) override them. */
export interface ObserveOptions {
  /** The parent event (a chain or a turn's span). @default the session */
  parent_id?: string
  /** @default 'Model Completion' */
  event_name?: string
  /** Called with the event id synchronously before the request leaves, e.g. to render `<pollen-feedback event-id>` under an answer still streaming. */
  onStart?: (eventId: string) => void
  /** Extra `config` fields (`template`, `version`, …). */
  config?: Record<string, unknown>
  /** Extra `inputs` fields (`context`, `question`, …) beside `chat_history`. */
  inputs?: Record<string, unknown>
  metadata?: Record<string, unknown>
  user_properties?: Record<string, unknown>
  /** The provider logged in `config.provider`. @default from the client's base URL (`openai` for api.openai.com) */
  provider?: string
  /** Prices in USD per million tokens: `metadata.cost` when the server reports usage. */
  prices?: { input: number; output: number }
  /** Rewrites the messages (and the output) before they are logged, e.g. to mask PII. */
  redact?: (messages: ChatMessage[]) => ChatMessage[]
  /** `false` logs no inputs or outputs: model, timings and token counts only. @default true */
  capture?: boolean
}
