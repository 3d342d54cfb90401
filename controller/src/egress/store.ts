// The connection log in PostgreSQL: monthly partitions created ahead and dropped whole after the
// retention period, the log shipper's exactly-once cursor, and each day's summary in the audit chain.

import { randomUUID } from "node:crypto";
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { appendAudit } from "@zhengyun/db/audit/append";
import type { SystemActor } from "@zhengyun/db/audit/vocabulary";
import type { Db } from "@zhengyun/db/client";
import { type DayDigest, DIGEST_ACTION, dayBounds, digestDay } from "@zhengyun/db/egress-digest";
import { auditLog, egressConnections, egressLogCursors } from "@zhengyun/db/schema";
import { asc, desc, eq, sql } from "drizzle-orm";

export { type DayDigest, DIGEST_ACTION, verifyDay } from "@zhengyun/db/egress-digest";

import { parseLogLine } from "./log.js";
import { portOwners } from "./systems.js";

export const EGRESS_ACTOR: SystemActor = "zhengyun-controller";
const DAY_MS = 86_400_000;
/** 网络安全法 Art. 21: network logs are kept for no less than six months. */
export const MIN_RETENTION_DAYS = 180;

const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
const addMonths = (d: Date, n: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
export const partitionName = (month: Date) => `egress_connections_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, "0")}`;

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/** Creates the partition of every month from `from`'s through `monthsAhead` months after `now`. */
export async function ensurePartitions(db: Db, now: Date, monthsAhead = 2, from: Date = now): Promise<void> {
  for (let m = monthStart(from); m <= addMonths(monthStart(now), monthsAhead); m = addMonths(m, 1)) {
    await db.execute(
      sql.raw(
        `create table if not exists ${partitionName(m)} partition of egress_connections for values from ('${m.toISOString()}') to ('${addMonths(m, 1).toISOString()}')`,
      ),
    );
  }
}

/** The month partitions that exist, oldest first. */
export async function listPartitions(db: Db): Promise<{ name: string; from: Date; to: Date }[]> {
  const rows = rowsOf<{ name: string }>(
    await db.execute(sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'egress_connections'::regclass`),
  );
  return rows
    .map((r) => /^egress_connections_y(\d{4})m(\d{2})$/.exec(r.name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => {
      const from = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
      return { name: m[0], from, to: addMonths(from, 1) };
    })
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}

/**
 * Drops the partitions whose whole month is older than the retention period (never fewer than
 * 180 days), recording each drop in the audit chain.
 */
export async function dropExpiredPartitions(db: Db, now: Date, retentionDays: number): Promise<string[]> {
  const days = Math.max(MIN_RETENTION_DAYS, retentionDays);
  const horizon = new Date(now.getTime() - days * DAY_MS);
  const dropped: string[] = [];
  for (const p of await listPartitions(db)) {
    if (p.to > horizon) continue;
    await db.transaction(async (tx) => {
      const n = rowsOf<{ n: number }>(await tx.execute(sql.raw(`select count(*)::int as n from ${p.name}`)))[0]?.n ?? 0;
      await tx.execute(sql.raw(`drop table ${p.name}`));
      await appendAudit(tx, {
        actorId: null,
        actorName: EGRESS_ACTOR,
        actorRole: null,
        action: "egress.partition_dropped",
        targetType: "egress_log",
        targetId: p.name,
        after: { from: p.from.toISOString(), to: p.to.toISOString(), rows: n, retentionDays: days },
        correlationId: randomUUID(),
        at: now,
      });
    });
    dropped.push(p.name);
  }
  return dropped;
}

export interface ShipResult {
  lines: number;
  stored: number;
  bySystem: Map<string, { allowed: number; denied: number; bytesIn: number; bytesOut: number }>;
}

/**
 * Reads the access log from where the last pass stopped and stores every complete line; the rows
 * and the new offset commit together, so a crash neither loses nor repeats a line. A log that
 * shrank was rotated or truncated: reading starts again at its beginning.
 */
export async function shipLog(db: Db, source: string, file: string, maxBytes = 4 * 1024 * 1024): Promise<ShipResult> {
  const result: ShipResult = { lines: 0, stored: 0, bySystem: new Map() };
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return result;
  }
  const [cursor] = await db.select({ offset: egressLogCursors.offset }).from(egressLogCursors).where(eq(egressLogCursors.source, source));
  let offset = cursor?.offset ?? 0;
  if (size < offset) offset = 0;
  if (size === offset) return result;
  const length = Math.min(size - offset, maxBytes);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, length, offset);
  } finally {
    closeSync(fd);
  }
  const end = buffer.lastIndexOf(0x0a);
  if (end < 0) return result;
  const text = buffer.subarray(0, end + 1).toString("utf8");
  return storeLogLines(db, text.split("\n"), async (tx) => {
    await tx
      .insert(egressLogCursors)
      .values({ source, offset: offset + end + 1 })
      .onConflictDoUpdate({ target: egressLogCursors.source, set: { offset: offset + end + 1, updatedAt: new Date() } });
  });
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Stores access-log lines as connection records, attributed to a system and department by the
 * gateway port they arrived on; `also` runs in the same transaction (the file shipper's cursor).
 */
export async function storeLogLines(db: Db, lines: readonly string[], also?: (tx: Tx) => Promise<void>): Promise<ShipResult> {
  const result: ShipResult = { lines: 0, stored: 0, bySystem: new Map() };
  const owners = await portOwners(db);
  const rows: (typeof egressConnections.$inferInsert & { at: Date })[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    result.lines++;
    const parsed = parseLogLine(line);
    if (!parsed) continue;
    const owner = owners.get(parsed.gatewayPort);
    rows.push({ ...parsed, systemId: owner?.systemId ?? null, departmentId: owner?.departmentId ?? null });
    const key = owner?.namespace ?? "unknown";
    const c = result.bySystem.get(key) ?? { allowed: 0, denied: 0, bytesIn: 0, bytesOut: 0 };
    c[parsed.action]++;
    c.bytesIn += parsed.bytesIn;
    c.bytesOut += parsed.bytesOut;
    result.bySystem.set(key, c);
  }
  if (rows.length) {
    const earliest = new Date(Math.min(...rows.map((r) => r.at.getTime())));
    await ensurePartitions(db, new Date(Math.max(...rows.map((r) => r.at.getTime()))), 0, earliest);
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) await tx.insert(egressConnections).values(rows.slice(i, i + 500));
    await also?.(tx);
  });
  result.stored = rows.length;
  return result;
}

/**
 * Appends the summary (count + digest) of every complete day not yet summarised to the audit chain,
 * so a row deleted or altered afterwards shows when the day is verified. A day is complete once
 * `graceMs` has passed after its end (the shipper has caught up). Starts at the first logged day.
 */
export async function summariseDays(db: Db, now: Date, graceMs = 15 * 60_000, maxDays = 31): Promise<DayDigest[]> {
  const [last] = await db.select({ day: auditLog.targetId }).from(auditLog).where(eq(auditLog.action, DIGEST_ACTION)).orderBy(desc(auditLog.targetId)).limit(1);
  let next: Date;
  if (last) next = new Date(dayBounds(last.day)[1]);
  else {
    const [first] = await db.select({ at: egressConnections.at }).from(egressConnections).orderBy(asc(egressConnections.at)).limit(1);
    if (!first) return [];
    next = new Date(Date.UTC(first.at.getUTCFullYear(), first.at.getUTCMonth(), first.at.getUTCDate()));
  }
  const done: DayDigest[] = [];
  while (done.length < maxDays && next.getTime() + DAY_MS + graceMs <= now.getTime()) {
    const day = next.toISOString().slice(0, 10);
    await db.transaction(async (tx) => {
      const summary = await digestDay(tx as unknown as Db, day);
      await appendAudit(tx, {
        actorId: null,
        actorName: EGRESS_ACTOR,
        actorRole: null,
        action: DIGEST_ACTION,
        targetType: "egress_log",
        targetId: day,
        after: { count: summary.count, digest: summary.digest },
        correlationId: randomUUID(),
        at: now,
      });
      done.push(summary);
    });
    next = new Date(next.getTime() + DAY_MS);
  }
  return done;
}
