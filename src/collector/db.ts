import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'

/** A stored event (sessions are events of type `session` whose id is the session id). */
export type StoredEvent = Record<string, unknown> & { event_id: string; project: string; event_type: string }

/** The counters `GET /stats` reports. */
export interface CollectorCounts {
  /** Create requests' items seen (events and sessions), valid or not. */
  received: number
  /** Items stored for the first time. */
  stored: number
  /** Creates of an id already stored: nothing new was stored. */
  duplicates: number
  /** Updates applied. */
  updates: number
}

/** The collector's storage: the only code that knows SQLite. */
export interface EventDb {
  /** Stores new events; an id already stored is counted as a duplicate and left as it was. */
  insert(events: StoredEvent[]): { stored: string[]; duplicates: string[] }
  /** Reads, changes and writes one event in a transaction; false when the id is unknown. */
  update(eventId: string, change: (event: StoredEvent) => StoredEvent): boolean
  get(eventId: string): StoredEvent | undefined
  /** Every event of a project, oldest first. */
  project(project: string): StoredEvent[]
  received(by: number): void
  counts(): CollectorCounts
  close(): void
}

/**
 * The collector's only SQLite code. Events are rows keyed by `event_id` with
 * their JSON beside a few indexed columns; WAL mode lets readers run during
 * writes and keeps committed rows through a crash.
 */
export function openEventDb(file: string): EventDb {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.exec(`
    -- A rowid table: events carry kilobytes of JSON, and SQLite advises
    -- WITHOUT ROWID only for small rows (https://sqlite.org/withoutrowid.html).
    CREATE TABLE IF NOT EXISTS events (
      event_id   TEXT NOT NULL UNIQUE,
      project    TEXT NOT NULL,
      session_id TEXT,
      event_type TEXT NOT NULL,
      start_time REAL,
      data       TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS events_project_time ON events (project, start_time);
    CREATE INDEX IF NOT EXISTS events_session ON events (session_id);
    CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
  `)
  const insert = db.prepare(
    'INSERT OR IGNORE INTO events (event_id, project, session_id, event_type, start_time, data) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const select = db.prepare('SELECT data FROM events WHERE event_id = ?')
  const replace = db.prepare('UPDATE events SET data = ? WHERE event_id = ?')
  const byProject = db.prepare('SELECT data FROM events WHERE project = ? ORDER BY start_time, event_id')
  const bump = db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value')
  const counters = db.prepare('SELECT name, value FROM counters')

  const count = (name: keyof CollectorCounts, by: number) => {
    if (by !== 0) bump.run(name, by)
  }

  return {
    insert: db.transaction((events: StoredEvent[]): { stored: string[]; duplicates: string[] } => {
      const stored: string[] = []
      const duplicates: string[] = []
      for (const event of events) {
        const result = insert.run(
          event.event_id,
          event.project,
          (event.session_id as string | undefined) ?? null,
          event.event_type,
          (event.start_time as number | undefined) ?? null,
          JSON.stringify(event),
        )
        ;(result.changes === 1 ? stored : duplicates).push(event.event_id)
      }
      count('stored', stored.length)
      count('duplicates', duplicates.length)
      return { stored, duplicates }
    }),
    update: db.transaction((eventId: string, change: (event: StoredEvent) => StoredEvent): boolean => {
      const row = select.get(eventId) as { data: string } | undefined
      if (!row) return false
      replace.run(JSON.stringify(change(JSON.parse(row.data) as StoredEvent)), eventId)
      count('updates', 1)
      return true
    }),
    get(eventId: string): StoredEvent | undefined {
      const row = select.get(eventId) as { data: string } | undefined
      return row ? (JSON.parse(row.data) as StoredEvent) : undefined
    },
    project(project: string): StoredEvent[] {
      return (byProject.all(project) as { data: string }[]).map((row) => JSON.parse(row.data) as StoredEvent)
    },
    received(by: number) {
      count('received', by)
    },
    counts(): CollectorCounts {
      const out: CollectorCounts = { received: 0, stored: 0, duplicates: 0, updates: 0 }
      for (const { name, value } of counters.all() as { name: keyof CollectorCounts; value: number }[]) out[name] = value
      return out
    },
    close() {
      db.close()
    },
  }
}
