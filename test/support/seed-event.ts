/**
 * The seed example event (a HoneyHive model completion: ~1.5 kB of compact
 * JSON once the client has added its ids), as `log()` input: without `event_id`, `session_id` and `parent_id`, which the
 * client fills in.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The repository's copy first; then the shared fixtures a CI checkout has beside the repository. */
const CANDIDATES = ['../fixtures/seed-event.json', '../../../shared/fixtures/seed-event.json'].map((path) =>
  fileURLToPath(new URL(path, import.meta.url)),
)

export function loadSeedEvent(): Record<string, unknown> {
  const path = CANDIDATES.find((candidate) => existsSync(candidate))
  if (!path) {
    throw new Error(`The seed event is missing: looked for ${CANDIDATES.join(' and ')}. Restore test/fixtures/seed-event.json from shared/fixtures/.`)
  }
  const { event_id: _event, session_id: _session, parent_id: _parent, ...seed } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  return seed
}
