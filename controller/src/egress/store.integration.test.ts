import { type Database, migrateDatabase, openDatabase } from "@zhengyun/db/client";
import { auditLog, egressConnections } from "@zhengyun/db/schema";
import { isolatedDatabase } from "@zhengyun/db/testkit";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { DIGEST_ACTION, dropExpiredPartitions, ensurePartitions, listPartitions, partitionName, summariseDays, verifyDay } from "./store.js";

const DAY = 86_400_000;
const now = new Date("2026-12-03T09:00:00Z");

function row(at: Date, host: string) {
  return {
    at,
    systemId: null,
    departmentId: null,
    gatewayPort: 20001,
    client: "10.64.0.7",
    method: "CONNECT",
    host,
    port: 443,
    status: 200,
    action: "allowed" as const,
    squidStatus: "TCP_TUNNEL",
    bytesIn: 1000,
    bytesOut: 200,
    durationMs: 35,
  };
}

const backends: [string, () => Promise<{ database: Database; drop(): Promise<void> }>][] = [
  ["PostgreSQL", () => isolatedDatabase("zy_egress")],
  [
    "PGlite",
    async () => {
      const database = await openDatabase({ dataDir: "memory://" });
      await migrateDatabase(database);
      return { database, drop: () => database.close() };
    },
  ],
];

describe.each(backends)("the connection log on %s", (_name, open) => {
  let handle: { database: Database; drop(): Promise<void> } | undefined;
  afterAll(async () => handle?.drop());

  it("keeps monthly partitions ahead, drops whole months past retention (never under 180 days), keeps newer ones", async () => {
    handle = await open();
    const db = handle.database.db;
    const tenMonthsAgo = new Date(Date.UTC(2026, 1, 10));
    const fiveMonthsAgo = new Date(Date.UTC(2026, 6, 10));
    await ensurePartitions(db, now, 2, tenMonthsAgo);
    const names = (await listPartitions(db)).map((p) => p.name);
    for (const m of [tenMonthsAgo, fiveMonthsAgo, now, new Date(Date.UTC(2027, 1, 1))]) expect(names).toContain(partitionName(m));
    await db.insert(egressConnections).values([row(tenMonthsAgo, "old.example.cn"), row(fiveMonthsAgo, "recent.example.cn"), row(now, "today.example.cn")]);

    // A retention shorter than the legal minimum still keeps 180 days.
    const dropped = await dropExpiredPartitions(db, now, 30);
    expect(dropped).toContain(partitionName(tenMonthsAgo));
    expect(dropped).not.toContain(partitionName(fiveMonthsAgo));
    const hosts = (await db.select({ host: egressConnections.host }).from(egressConnections)).map((r) => r.host).sort();
    expect(hosts).toEqual(["recent.example.cn", "today.example.cn"]);
    const left = (await listPartitions(db)).map((p) => p.name);
    expect(left).not.toContain(partitionName(tenMonthsAgo));
    expect(left).toContain(partitionName(fiveMonthsAgo));
    const audit = await db.select({ targetId: auditLog.targetId }).from(auditLog).where(eq(auditLog.action, "egress.partition_dropped"));
    expect(audit.map((a) => a.targetId)).toContain(partitionName(tenMonthsAgo));
  });

  it("summarises each finished day into the audit chain and detects a deleted row", async () => {
    const db = handle!.database.db;
    const twoDaysAgo = new Date(now.getTime() - 2 * DAY);
    const dayText = twoDaysAgo.toISOString().slice(0, 10);
    await db
      .insert(egressConnections)
      .values([
        row(new Date(twoDaysAgo.getTime() + 1000), "a.example.cn"),
        row(new Date(twoDaysAgo.getTime() + 2000), "b.example.cn"),
        row(new Date(twoDaysAgo.getTime() + 3000), "c.example.cn"),
      ]);
    const summaries = await summariseDays(db, now, 15 * 60_000, 400);
    // Every day from the first logged one up to yesterday; today is not finished.
    expect(summaries.map((s) => s.day)).toContain(dayText);
    expect(summaries.map((s) => s.day)).not.toContain(now.toISOString().slice(0, 10));
    expect(summaries.find((s) => s.day === dayText)?.count).toBe(3);
    // Running again adds nothing.
    expect(await summariseDays(db, now, 15 * 60_000, 400)).toEqual([]);
    const [entry] = await db
      .select({ after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.action, DIGEST_ACTION), eq(auditLog.targetId, dayText)));
    expect(entry?.after).toMatchObject({ count: 3, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });

    expect(await verifyDay(db, dayText)).toEqual({ day: dayText, status: "intact", count: 3 });
    await db.delete(egressConnections).where(eq(egressConnections.host, "b.example.cn"));
    const verdict = await verifyDay(db, dayText);
    expect(verdict.status).toBe("altered");
    if (verdict.status === "altered") {
      expect(verdict.recorded.count).toBe(3);
      expect(verdict.actual.count).toBe(2);
    }
    // An altered row (same count) is caught by the digest.
    await db.execute(sql`update egress_connections set bytes_in = bytes_in + 1 where host = 'a.example.cn'`);
    const again = await verifyDay(db, dayText);
    expect(again.status).toBe("altered");
    expect(await verifyDay(db, "2020-01-01")).toEqual({ day: "2020-01-01", status: "unsummarised" });
  });
});
