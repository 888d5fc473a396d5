import { PollenError } from '../errors.js'
import type { Queue, QueueItem } from '../queue/index.js'
import type { Outcome, Rejection } from '../transport/index.js'
import type { LiveStats } from './stats.js'
import type { TabChannel } from './tab-channel.js'
import { DROPPED_META, recordDrops, type ItemEnd, type Tracker } from './tracker.js'

/** What settling a round touches. */
export interface Settling {
  queue: Queue
  stats: LiveStats
  channel: TabChannel
  /** This page's keys whose send failed and that wait for a retry. */
  failed: Set<string>
  tracker: Tracker
  report(error: PollenError): void
}

/**
 * Records what became of a round's `items`: deletes the delivered and the
 * refused from storage, marks the rest as retrying, tells the other tabs and
 * the trackers, keeps the drops of updates for pages that ask after a reload,
 * and counts and reports the refusals.
 */
export async function settleRound(outcome: Outcome, items: QueueItem[], to: Settling): Promise<void> {
  const { queue, stats, failed } = to
  // The stored items themselves, not the transport's view of them: storage finds them by segment.
  const byKey = new Map(items.map((item) => [item.key, item]))
  const finished = [...outcome.delivered, ...outcome.rejected.map((r) => r.item)].flatMap((item) => byKey.get(item.key) ?? [])
  if (finished.length > 0) await queue.remove(finished)
  const done = finished.map((item) => item.key)
  for (const key of done) failed.delete(key)
  for (const item of outcome.retry) failed.add(item.key)
  const drops = outcome.rejected.map((r): ItemEnd => [r.item.key, `${r.code}: ${r.message}`])
  to.channel.announce({ done, dropped: drops, release: outcome.retry.map((item) => item.key) })
  to.tracker.ended([...outcome.delivered.map((item): ItemEnd => [item.key]), ...drops])
  // A page that reloads and asks about its vote finds drops here; anything else gone from storage was sent.
  const droppedUpdates = drops.filter((_, i) => outcome.rejected[i]!.item.kind === 'update')
  if (droppedUpdates.length > 0) await queue.setMeta(DROPPED_META, recordDrops(await queue.getMeta<ItemEnd[]>(DROPPED_META), droppedUpdates))
  if (outcome.delivered.length > 0) stats.set({ sent: stats.get().sent + outcome.delivered.length })
  reportRejections(outcome.rejected, to)
}

/** Counts refusals (by the server, or `expired` here) by code, and reports each code once with up to ten of its items. */
function reportRejections(rejected: Rejection[], { stats, report }: Settling): void {
  const byCode = new Map<string, Rejection[]>()
  for (const rejection of rejected) byCode.set(rejection.code, [...(byCode.get(rejection.code) ?? []), rejection])
  for (const [code, rejections] of byCode) {
    stats.drop(code, rejections.length)
    report(
      new PollenError(
        'rejected',
        `${rejections.length} item(s) dropped (${code}): ${rejections[0]!.message}`,
        rejections.slice(0, 10).map((r) => ({ path: [r.item.kind, r.item.id], message: r.message })),
      ),
    )
  }
}
