/**
 * The chat corpus: model events in the seed event's shape, from conversations
 * of a RAG chat app, each turn different: questions, retrieved context,
 * answers, the growing chat history, models, hyperparameters, token counts,
 * timings. A pure function of its seed, so this file is the committed corpus
 * (600 events, about 4 kB each, 2.4 MB of JSON that need not sit in git).
 */
import { createRandom } from '../chaos/prng.js'

const WORDS = `the a of to and in is it for on with as that this by from at or be are was can will not your our their
data model answer question context user system value report account invoice payment card team project plan
policy customer order refund shipping delivery address password login email notification setting export import
chart table column row field filter search index query result error warning limit quota usage billing price cost
month week day year today yesterday tomorrow morning evening time zone date range total average median number
first last next previous new old open closed pending active archived draft final review approve reject update
create delete share copy move rename upload download sync backup restore version history change log event
api key token secret webhook endpoint request response status code header body method retry timeout latency
server client browser mobile desktop app page screen button menu link form input output message thread chat
support ticket agent escalate priority urgent normal low high medium small large fast slow better worse
because however therefore although while when where which who what how why also only just still already
each every some many few more most less least other another same different similar exact about around
include exclude contain require allow prevent enable disable configure connect integrate migrate deploy
release feature bug fix issue test check verify confirm cancel schedule remind assign follow track measure`.split(/\s+/)
const TOPICS = ['invoices', 'refund policy', 'API rate limits', 'SSO login', 'expense cards', 'travel bookings', 'payroll export',
  'webhook retries', 'team permissions', 'billing cycle', 'data retention', 'mobile app sync', 'two-factor setup', 'CSV import',
  'audit log', 'spending limits', 'vendor onboarding', 'receipt matching', 'accounting sync', 'budget alerts']
const OPENERS = ['How do I', 'Can you explain how to', 'What happens when I', 'Why does my', 'Is it possible to', 'Where can I',
  'What is the best way to', 'Help me understand how to', 'When should I', 'Who can']
const VERBS = ['set up', 'change', 'export', 'cancel', 'connect', 'review', 'limit', 'share', 'fix', 'track', 'approve', 'delete']
const MODELS = [
  { model: 'gpt-4o-mini', provider: 'openai' },
  { model: 'gpt-4.1', provider: 'openai' },
  { model: 'claude-3-5-haiku', provider: 'anthropic' },
  { model: 'llama-3.1-8b-instruct', provider: 'webllm' },
  { model: 'gemini-nano', provider: 'chrome' },
]

/** Generates `count` chat-turn events from `seed`. */
export function generateCorpus(seed = 20261201, count = 600): Record<string, unknown>[] {
  const random = createRandom(seed)
  // Zipf-like: common words far more often than rare ones, as in real text.
  const word = () => WORDS[Math.floor(WORDS.length * random.next() ** 2.2)]!
  const sentence = (min: number, max: number) => {
    const words = Array.from({ length: random.int(min, max) }, word)
    if (random.chance(0.3)) words.splice(random.int(0, words.length), 0, random.pick(TOPICS))
    if (random.chance(0.2)) words.push(String(random.int(2, 9999)))
    const text = words.join(' ')
    return `${text[0]!.toUpperCase()}${text.slice(1)}${random.pick(['.', '.', '.', '?', '!'])}`
  }
  const paragraph = (sentences: number) => Array.from({ length: sentences }, () => sentence(6, 22)).join(' ')

  const conversations = Array.from({ length: Math.ceil(count / 8) }, () => ({
    user: `google-oauth2|${String(random.int(1e8, 9e8))}${String(random.int(1e8, 9e8))}`,
    session: random.uuid(),
    ...random.pick(MODELS),
    temperature: random.pick([0, 0.2, 0.5, 0.7, 1]),
    maxTokens: random.pick([256, 512, 1000, 2048]),
    system: `Answer the user's question only using provided context. ${sentence(5, 15)}`,
    history: [] as { role: string; content: string }[],
    clock: 1_764_500_000_000 + random.int(0, 86_400_000),
  }))

  const events: Record<string, unknown>[] = []
  for (let i = 0; i < count; i++) {
    const c = random.pick(conversations)
    const question = `${random.pick(OPENERS)} ${random.pick(VERBS)} ${random.pick(TOPICS)}${random.chance(0.5) ? ` ${sentence(3, 12).toLowerCase()}` : '?'}`
    const context = paragraph(random.int(2, 8))
    const answer = paragraph(random.int(1, 7))
    const chat = [{ role: 'system', content: `${c.system}\n\nContext: ${context}` }, ...c.history, { role: 'user', content: question }]
    const promptTokens = Math.round(chat.reduce((n, m) => n + m.content.length, 0) / 4)
    const completionTokens = Math.round(answer.length / 4)
    const duration = random.int(300, 9000) + random.next()
    c.clock += random.int(5_000, 600_000)
    events.push({
      project: 'Simple RAG',
      source: 'production',
      event_name: 'Model Completion',
      event_type: 'model',
      event_id: random.uuid(),
      session_id: c.session,
      parent_id: c.session,
      config: {
        model: c.model,
        provider: c.provider,
        version: `v0.${random.int(1, 9)}`,
        hyperparameters: { temperature: c.temperature, top_p: 1, max_tokens: c.maxTokens },
        template: [
          { role: 'system', content: `${c.system}\n\nContext: {{ context }}` },
          { role: 'user', content: '{{question}}' },
        ],
        type: 'chat',
      },
      inputs: { context, question, chat_history: chat },
      outputs: { role: 'assistant', content: answer },
      start_time: c.clock,
      end_time: Math.round(c.clock + duration),
      duration,
      metadata: {
        cost: Number(((promptTokens * 0.15 + completionTokens * 0.6) / 1e6).toFixed(8)),
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        time_to_first_token_ms: random.int(80, 1500),
      },
      metrics: { 'Number of words': answer.split(' ').length },
      user_properties: { user: c.user },
    })
    c.history.push({ role: 'user', content: question }, { role: 'assistant', content: answer })
    // Long conversations keep their last turns only, as apps trim what they send.
    if (c.history.length > 12) c.history.splice(0, 2)
  }
  return events
}
