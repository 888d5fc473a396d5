export { observeOpenAI } from './observe.js'
export { observePromptAPI, type PromptSession } from './prompt-api.js'
export type { ObserveOptions, ChatMessage } from './options.js'
