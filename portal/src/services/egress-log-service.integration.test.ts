import { TRPCError } from "@trpc/server";
import { egressConnections, egressPorts } from "@zhengyun/db/schema";
import { describe, expect, it } from "vitest";
import { makeOrg, testDatabase } from "../../test/harness.js";

describe("出口访问日志 and allow-list validation", () => {
  it("scopes the log like systems, filters it, exports CSV, and refuses bad allow-list entries", async () => {
    const db = await testDatabase();
    const a = await makeOrg(db, { level: 2, zone: "external" });
    const b = await makeOrg(db, { level: 2, zone: "external" });
    const sa = await a.newSystem();
    const sb = await b.newSystem();
    const base = 40000 + Math.floor(Math.random() * 20000);
    await db.db.insert(egressPorts).values([
      { systemId: sa.id, port: base },
      { systemId: sb.id, port: base + 1 },
    ]);
    const at = new Date();
    const row = (systemId: string, departmentId: string, host: string, action: "allowed" | "denied") => ({
      at,
      systemId,
      departmentId,
      gatewayPort: base,
      client: "10.64.0.9",
      method: "CONNECT",
      host,
      port: 443,
      status: action === "allowed" ? 200 : 403,
      action,
      squidStatus: action === "allowed" ? "TCP_TUNNEL" : "TCP_DENIED",
      bytesIn: 10,
      bytesOut: 5,
      durationMs: 3,
    });
    await db.db
      .insert(egressConnections)
      .values([
        row(sa.id, a.dept.id, "api.a.gov.cn", "allowed"),
        row(sa.id, a.dept.id, "evil.example.com", "denied"),
        row(sb.id, b.dept.id, "api.b.gov.cn", "allowed"),
      ]);

    const own = await a.as("applicant").egress.list({ page: 1, pageSize: 50 });
    expect(own.rows.map((r) => r.host).sort()).toEqual(["api.a.gov.cn", "evil.example.com"]);
    // Another department's system: nothing, not an error that reveals it.
    expect((await a.as("deptAdmin").egress.list({ systemId: sb.id, page: 1, pageSize: 50 })).total).toBe(0);
    const all = await a.as("auditor").egress.list({ from: new Date(at.getTime() - 1000), page: 1, pageSize: 200 });
    expect(all.rows.map((r) => r.systemId)).toEqual(expect.arrayContaining([sa.id, sb.id]));
    const denied = await a.as("security").egress.list({ systemId: sa.id, action: "denied", page: 1, pageSize: 50 });
    expect(denied.rows.map((r) => [r.host, r.status])).toEqual([["evil.example.com", 403]]);
    expect((await a.as("security").egress.list({ host: "API.B", page: 1, pageSize: 50 })).rows.map((r) => r.systemId)).toEqual([sb.id]);

    const csv = await a.as("applicant").egress.exportCsv({});
    expect(csv.rows).toBe(2);
    expect(csv.csv.split("\r\n")[0]).toBe("\uFEFFtime,system,namespace,department,client,method,host,port,status,action,bytes_in,bytes_out,duration_ms");
    expect(csv.csv).not.toContain("api.b.gov.cn");

    await expect(b.as("applicant").egress.system({ id: sa.id })).rejects.toThrow(TRPCError);
    expect(await a.as("applicant").egress.system({ id: sa.id })).toEqual({ blocked: "no-bandwidth", bandwidthMbps: 0, gatewayPort: null, allowList: [] });

    // Checking a day against the audit chain is for auditors and security officers.
    expect(await a.as("auditor").egress.verifyDay({ day: "2001-01-01" })).toEqual({ day: "2001-01-01", status: "unsummarised" });
    await expect(a.as("applicant").egress.verifyDay({ day: "2001-01-01" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(a.as("auditor").egress.verifyDay({ day: "2001-13-01" })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    for (const host of ["0.0.0.0/0", "*", "10.0.0.0/8", "192.168.1.0/24"]) {
      const attempt = a.as("applicant").requests.create({
        systemId: sa.id,
        kind: "new",
        resources: { vcpu: 1, memory_gib: 2, storage_standard_gib: 1, egress_mbps: 5 },
        egress: [{ host, port: 443 }],
        justification: "访问互联网接口",
      });
      await expect(attempt).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    const ok = await a.as("applicant").requests.create({
      systemId: sa.id,
      kind: "new",
      resources: { vcpu: 1, memory_gib: 2, storage_standard_gib: 1, egress_mbps: 5 },
      egress: [{ host: "*.Example.GOV.cn", port: 443 }],
      justification: "访问互联网接口",
    });
    const detail = await a.as("applicant").requests.get({ id: ok.id });
    expect(detail.egress).toEqual([{ host: "*.example.gov.cn", port: 443 }]);
  });
});
