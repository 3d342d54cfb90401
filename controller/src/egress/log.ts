// One line of the gateway's access log (format LOG_FORMAT in render.ts) as a connection record.

import type { EgressAction } from "@zhengyun/db/schema";

export interface LogLine {
  at: Date;
  gatewayPort: number;
  client: string;
  method: string;
  host: string;
  port: number;
  status: number;
  action: EgressAction;
  squidStatus: string;
  /** Bytes the system received (the reply) and sent (the request). */
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
}

const count = (v: string): number => (/^\d+$/.test(v) ? Number(v) : 0);

/** Parses one access-log line; null for anything that is not a well-formed `zy1` line. */
export function parseLogLine(line: string): LogLine | null {
  const f = line.trim().split(/\s+/);
  if (f.length !== 12 || f[0] !== "zy1") return null;
  const [, ts, lp, client, method, host, port, status, squidStatus, bytesOut, bytesIn, tr] = f as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const seconds = Number(ts);
  if (!Number.isFinite(seconds) || !/^\d+$/.test(lp)) return null;
  const denied = /DENIED/.test(squidStatus) || status === "403";
  return {
    at: new Date(Math.round(seconds * 1000)),
    gatewayPort: Number(lp),
    client,
    method,
    host: host === "-" ? "" : host.toLowerCase(),
    port: count(port),
    status: count(status),
    action: denied ? "denied" : "allowed",
    squidStatus,
    bytesIn: count(bytesIn),
    bytesOut: count(bytesOut),
    durationMs: count(tr),
  };
}
