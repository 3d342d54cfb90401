/**
 * The unified internet egress seen from the portal: the connection log (出口访问日志), scoped like
 * systems (platform roles see every department, department people their own), and a system's
 * effective allow-list, bandwidth and gateway port.
 */

import type { Db } from "@zhengyun/db/client";
import type { ServiceContext } from "@zhengyun/db/context";
import { notFound } from "@zhengyun/db/errors";
import {
  allocationItems,
  allocations,
  departments,
  type EgressAction,
  egressConnections,
  egressPorts,
  informationSystems,
  requestEgressDestinations,
} from "@zhengyun/db/schema";
import { and, count, desc, eq, gte, ilike, lt, type SQL } from "drizzle-orm";
import { assertDepartment, departmentFilter } from "./scope.js";

export interface EgressLogQuery {
  systemId?: string | undefined;
  /** Part of the destination host. */
  host?: string | undefined;
  action?: EgressAction | undefined;
  status?: number | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

function conditions(ctx: ServiceContext, q: EgressLogQuery): SQL | undefined {
  const where: SQL[] = [];
  const dept = departmentFilter(ctx);
  if (dept) where.push(eq(egressConnections.departmentId, dept));
  if (q.systemId) where.push(eq(egressConnections.systemId, q.systemId));
  if (q.host) where.push(ilike(egressConnections.host, `%${q.host.replace(/[%_\\]/g, (c) => `\\${c}`)}%`));
  if (q.action) where.push(eq(egressConnections.action, q.action));
  if (q.status !== undefined) where.push(eq(egressConnections.status, q.status));
  if (q.from) where.push(gte(egressConnections.at, q.from));
  if (q.to) where.push(lt(egressConnections.at, q.to));
  return where.length ? and(...where) : undefined;
}

const columns = {
  id: egressConnections.id,
  at: egressConnections.at,
  systemId: egressConnections.systemId,
  systemName: informationSystems.name,
  namespace: informationSystems.namespace,
  departmentName: departments.name,
  departmentNameEn: departments.nameEn,
  client: egressConnections.client,
  method: egressConnections.method,
  host: egressConnections.host,
  port: egressConnections.port,
  status: egressConnections.status,
  action: egressConnections.action,
  bytesIn: egressConnections.bytesIn,
  bytesOut: egressConnections.bytesOut,
  durationMs: egressConnections.durationMs,
};

function select(db: Db) {
  return db
    .select(columns)
    .from(egressConnections)
    .leftJoin(informationSystems, eq(informationSystems.id, egressConnections.systemId))
    .leftJoin(departments, eq(departments.id, egressConnections.departmentId));
}

/** One page of the log, newest first, with the total matching. */
export async function listEgressLog(ctx: ServiceContext, q: EgressLogQuery & { page: number; pageSize: number }) {
  const where = conditions(ctx, q);
  const rows = await select(ctx.db)
    .where(where)
    .orderBy(desc(egressConnections.at), desc(egressConnections.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await ctx.db.select({ n: count() }).from(egressConnections).where(where);
  return { rows, total: total?.n ?? 0 };
}

/** The most rows one export carries; narrow the filter for more. */
export const EXPORT_LIMIT = 50_000;

const csvCell = (v: unknown): string => {
  const s = v instanceof Date ? v.toISOString() : v === null || v === undefined ? "" : String(v);
  // Quote every field that needs it; a leading = + - @ is neutralised against spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The matching log as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese names). */
export async function exportEgressLog(ctx: ServiceContext, q: EgressLogQuery) {
  const rows = await select(ctx.db)
    .where(conditions(ctx, q))
    .orderBy(desc(egressConnections.at), desc(egressConnections.id))
    .limit(EXPORT_LIMIT + 1);
  const header = ["time", "system", "namespace", "department", "client", "method", "host", "port", "status", "action", "bytes_in", "bytes_out", "duration_ms"];
  const lines = rows
    .slice(0, EXPORT_LIMIT)
    .map((r) =>
      [r.at, r.systemName, r.namespace, r.departmentName, r.client, r.method, r.host, r.port, r.status, r.action, r.bytesIn, r.bytesOut, r.durationMs]
        .map(csvCell)
        .join(","),
    );
  return { csv: `\uFEFF${[header.join(","), ...lines].join("\r\n")}\r\n`, rows: lines.length, truncated: rows.length > EXPORT_LIMIT };
}

/** A system's effective internet egress: what the gateway enforces for it now. */
export async function systemEgress(ctx: ServiceContext, systemId: string) {
  const [system] = await ctx.db
    .select({
      departmentId: informationSystems.departmentId,
      zone: informationSystems.zone,
      level: informationSystems.level,
      requestId: allocations.requestId,
      port: egressPorts.port,
    })
    .from(informationSystems)
    .leftJoin(allocations, eq(allocations.systemId, informationSystems.id))
    .leftJoin(egressPorts, eq(egressPorts.systemId, informationSystems.id))
    .where(eq(informationSystems.id, systemId));
  if (!system) throw notFound("information system");
  assertDepartment(ctx, system.departmentId);
  const [bandwidth] = await ctx.db
    .select({ granted: allocationItems.granted })
    .from(allocationItems)
    .where(and(eq(allocationItems.systemId, systemId), eq(allocationItems.resource, "egress_mbps")));
  const mbps = bandwidth?.granted ?? 0;
  const blocked: "internal" | "level4" | "no-bandwidth" | null =
    system.zone !== "external" ? "internal" : system.level >= 4 ? "level4" : mbps <= 0 ? "no-bandwidth" : null;
  const allowList =
    blocked || !system.requestId
      ? []
      : await ctx.db
          .select({ host: requestEgressDestinations.host, port: requestEgressDestinations.port })
          .from(requestEgressDestinations)
          .where(eq(requestEgressDestinations.requestId, system.requestId))
          .orderBy(requestEgressDestinations.host, requestEgressDestinations.port);
  return { blocked, bandwidthMbps: blocked ? 0 : mbps, gatewayPort: blocked ? null : system.port, allowList };
}
