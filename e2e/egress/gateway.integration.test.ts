// The unified egress against a real Squid on loopback: systems granted through the real request
// workflow, a real HTTP server on 127.0.0.1 as "the internet" (Squid resolves test names to it
// through its hosts_file), and the connection log shipped into real PostgreSQL.

import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { createServer as createTcpServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EgressGateway } from "@zhengyun/controller/egress/gateway";
import { EgressService, egressMetrics, loadEgressConfig } from "@zhengyun/controller/egress/service";
import { reportRequest } from "@zhengyun/controller/status/record";
import { egressConnections, informationSystems } from "@zhengyun/db/schema";
import { type IsolatedDatabase, isolatedDatabase, makeOrg, type Org } from "@zhengyun/portal/test/harness";
import { eq } from "drizzle-orm";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SQUID = "/usr/sbin/squid";
const BIG = 1_000_000;

/** A run of free loopback ports, so parallel runs on one machine do not collide. */
async function freePorts(count: number): Promise<number> {
  for (;;) {
    const base = 30000 + Math.floor(Math.random() * 20000);
    const ok = await Promise.all(
      Array.from(
        { length: count },
        (_, i) =>
          new Promise<boolean>((resolve) => {
            const s = createTcpServer();
            s.once("error", () => resolve(false));
            s.listen(base + i, "127.0.0.1", () => s.close(() => resolve(true)));
          }),
      ),
    );
    if (ok.every(Boolean)) return base;
  }
}

interface Reply {
  status: number;
  body: Buffer;
}

/** A plain HTTP request through the gateway port, as a system's pod makes it. */
function viaProxy(proxyPort: number, url: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: "127.0.0.1", port: proxyPort, method: "GET", path: url, headers: { host: u.host, connection: "close" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** CONNECT host:port through the gateway; when tunnelled, a GET over the tunnel. */
function viaConnect(proxyPort: number, target: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: proxyPort, method: "CONNECT", path: target, headers: { host: target } });
    req.on("connect", (res, socket: Socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.alloc(0) });
        return;
      }
      const chunks: Buffer[] = [];
      socket.on("data", (c: Buffer) => chunks.push(c));
      socket.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), body: Buffer.from(text.split("\r\n\r\n")[1] ?? "") });
      });
      socket.write(`GET /small HTTP/1.1\r\nHost: ${target}\r\nConnection: close\r\n\r\n`);
    });
    req.on("error", reject);
    req.end();
  });
}

function refusedConnection(port: number): Promise<boolean> {
  return viaProxy(port, "http://allowed.test/").then(
    () => false,
    (err: NodeJS.ErrnoException) => err.code === "ECONNREFUSED",
  );
}

describe("the unified egress gateway on loopback", () => {
  let iso: IsolatedDatabase;
  let dir: string;
  let web: Server;
  let webPort: number;
  let gateway: EgressGateway;
  let service: EgressService;
  let registry: Registry;
  let org: Org;
  const sys: Record<"a" | "b", { id: string; namespace: string; port: number; requestId: string }> = {} as never;

  async function grant(kind: "new" | "change" | "release", systemId: string, egress: { host: string; port: number }[], mbps: number) {
    const req = await org.as("applicant").requests.create({
      systemId,
      kind,
      resources: kind === "release" ? {} : { vcpu: 1, memory_gib: 2, storage_standard_gib: 1, egress_mbps: mbps },
      egress,
      justification: "访问互联网上的数据接口",
      submit: true,
    });
    await org.as("deptAdmin").requests.approve({ id: req.id });
    await org.as("ops").requests.approve({ id: req.id });
    return req.id;
  }

  beforeAll(async () => {
    iso = await isolatedDatabase("zy_egress");
    dir = mkdtempSync(join(tmpdir(), "zy-egress-"));
    // Squid reads the hosts file after dropping to its own user when the tests run as root.
    chmodSync(dir, 0o755);
    web = createServer((req, res) => {
      if (req.url === "/big") {
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": BIG });
        res.end(Buffer.alloc(BIG, 7));
        return;
      }
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`hello from ${req.headers.host}`);
    });
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    webPort = (web.address() as { port: number }).port;
    const hostsFile = join(dir, "hosts");
    writeFileSync(hostsFile, "127.0.0.1 allowed.test other.test\n", { mode: 0o644 });
    const base = await freePorts(4);
    const config = { ...loadEgressConfig({ ZHENGYUN_EGRESS: "local", ZHENGYUN_EGRESS_FIRST_PORT: String(base + 1) }), squid: SQUID };
    gateway = new EgressGateway({
      squid: SQUID,
      dir: join(dir, "gateway"),
      listenAddress: "127.0.0.1",
      closedPort: base,
      hostsFile,
      // The test's "internet" is 127.0.0.1; in service every internal address is refused.
      refuseInternalAddresses: false,
      shutdownSeconds: 1,
    });
    registry = new Registry();
    service = new EgressService(iso.database.db, config, gateway, egressMetrics(registry));

    org = await makeOrg(iso.database, { level: 2, zone: "external" });
    for (const [key, egress, mbps] of [
      ["a", [{ host: "allowed.test", port: webPort }], 1],
      ["b", [{ host: "other.test", port: webPort }], 100],
    ] as const) {
      const system = await org.newSystem(2, "external");
      const requestId = await grant("new", system.id, [...egress], mbps);
      const [row] = await iso.database.db
        .select({ namespace: informationSystems.namespace })
        .from(informationSystems)
        .where(eq(informationSystems.id, system.id));
      sys[key] = { id: system.id, namespace: row?.namespace ?? "", port: 0, requestId };
    }
    // An internal-zone system with egress bandwidth would never get a port (the workflow refuses it anyway).
    const synced = await service.syncGateway();
    expect(synced?.result).toBe("started");
    for (const key of ["a", "b"] as const) sys[key].port = synced?.rendered.ports.find((p) => p.systemId === sys[key].id)?.port ?? 0;
    console.log(`rendered gateway configuration:\n${synced?.rendered.config}`);
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await new Promise((r) => web?.close(r));
    await iso?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("admits a system's allowed host through its own port and refuses everything else with 403", async () => {
    expect(sys.a.port).toBeGreaterThan(0);
    expect(sys.b.port).toBeGreaterThan(0);
    const ok = await viaProxy(sys.a.port, `http://allowed.test:${webPort}/small`);
    expect(ok.status).toBe(200);
    expect(ok.body.toString()).toBe(`hello from allowed.test:${webPort}`);
    expect((await viaProxy(sys.a.port, `http://other.test:${webPort}/small`)).status).toBe(403);
    // Another system's port with this system's destination.
    expect((await viaProxy(sys.b.port, `http://allowed.test:${webPort}/small`)).status).toBe(403);
    expect((await viaProxy(sys.b.port, `http://other.test:${webPort}/small`)).status).toBe(200);
    // The allowed host on a port not in the list.
    expect((await viaProxy(sys.a.port, `http://allowed.test:${webPort + 1}/small`)).status).toBe(403);
  });

  it("tunnels CONNECT to an allowed host:port only", async () => {
    const tunnel = await viaConnect(sys.a.port, `allowed.test:${webPort}`);
    expect(tunnel.status).toBe(200);
    expect(tunnel.body.toString()).toContain("hello from allowed.test");
    expect((await viaConnect(sys.a.port, `allowed.test:${webPort + 1}`)).status).toBe(403);
    expect((await viaConnect(sys.a.port, `other.test:${webPort}`)).status).toBe(403);
  });

  it("holds a system to its granted bandwidth", async () => {
    const started = performance.now();
    const reply = await viaProxy(sys.a.port, `http://allowed.test:${webPort}/big`);
    const seconds = (performance.now() - started) / 1000;
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(BIG);
    const rate = BIG / seconds;
    const grant = 1 * 125_000;
    console.log(
      `bandwidth: ${BIG} bytes in ${seconds.toFixed(2)} s = ${(rate / 125_000).toFixed(3)} Mbps (${Math.round(rate)} B/s) at a 1 Mbps grant (${grant} B/s)`,
    );
    // Squid starts each bucket half full, so the rate runs a little above the grant on short transfers.
    expect(rate).toBeGreaterThan(grant * 0.75);
    expect(rate).toBeLessThan(grant * 1.25);
    // The system granted 100 Mbps is not held to 1 Mbps.
    const fastStart = performance.now();
    await viaProxy(sys.b.port, `http://other.test:${webPort}/big`);
    expect(BIG / ((performance.now() - fastStart) / 1000)).toBeGreaterThan(grant * 4);
  }, 30_000);

  it("applies an allow-list change with a reconfigure, without restarting Squid", async () => {
    const pid = readFileSync(gateway.paths.pidFile, "utf8").trim();
    await reportRequest(iso.database.db, sys.b.requestId, { ok: true });
    sys.b.requestId = await grant(
      "change",
      sys.b.id,
      [
        { host: "other.test", port: webPort },
        { host: "allowed.test", port: webPort },
      ],
      100,
    );
    const synced = await service.syncGateway();
    expect(synced?.result).toBe("reconfigured");
    expect(readFileSync(gateway.paths.pidFile, "utf8").trim()).toBe(pid);
    expect(synced?.rendered.ports.find((p) => p.systemId === sys.b.id)?.port).toBe(sys.b.port);
    expect((await viaProxy(sys.b.port, `http://allowed.test:${webPort}/small`)).status).toBe(200);
    // Nothing changed: nothing to reload.
    expect((await service.syncGateway())?.result).toBe("unchanged");
  });

  it("records every attempt with its system, department and status, and counts it per system", async () => {
    // Squid writes a transaction's line when it ends; give it the moment to reach the file.
    for (let i = 0; i < 50 && !existsSync(gateway.paths.accessLog); i++) await new Promise((r) => setTimeout(r, 100));
    let stored = 0;
    for (let i = 0; i < 50 && stored < 11; i++) {
      stored += (await service.ship())?.stored ?? 0;
      if (stored < 11) await new Promise((r) => setTimeout(r, 100));
    }
    const rows = await iso.database.db.select().from(egressConnections);
    const of = (key: "a" | "b") => rows.filter((r) => r.systemId === sys[key].id);
    const summary = (key: "a" | "b") =>
      of(key)
        .map((r) => `${r.method} ${r.host}:${r.port - webPort} ${r.status} ${r.action}`)
        .sort();
    expect(summary("a")).toEqual(
      [
        "GET allowed.test:0 200 allowed",
        "GET other.test:0 403 denied",
        "GET allowed.test:1 403 denied",
        "CONNECT allowed.test:0 200 allowed",
        "CONNECT allowed.test:1 403 denied",
        "CONNECT other.test:0 403 denied",
        "GET allowed.test:0 200 allowed",
      ].sort(),
    );
    expect(summary("b")).toEqual(
      ["GET allowed.test:0 403 denied", "GET other.test:0 200 allowed", "GET other.test:0 200 allowed", "GET allowed.test:0 200 allowed"].sort(),
    );
    for (const r of rows.filter((r) => r.systemId)) expect(r.departmentId).toBe(org.dept.id);
    const big = of("a").find((r) => r.bytesIn >= BIG);
    expect(big?.durationMs).toBeGreaterThan(5000);
    // Shipping again stores nothing twice.
    expect((await service.ship())?.stored).toBe(0);
    const metrics = await registry.getSingleMetricAsString("zhengyun_egress_connections_total");
    expect(metrics).toContain(`zhengyun_egress_connections_total{system="${sys.a.namespace}",action="allowed"} 3`);
    expect(metrics).toContain(`zhengyun_egress_connections_total{system="${sys.a.namespace}",action="denied"} 4`);
  });

  it("removes a released system's port and rules", async () => {
    await reportRequest(iso.database.db, sys.a.requestId, { ok: true });
    await grant("release", sys.a.id, [], 0);
    const synced = await service.syncGateway();
    expect(synced?.result).toBe("reconfigured");
    expect(synced?.rendered.config).not.toContain(sys.a.namespace);
    expect(await refusedConnection(sys.a.port)).toBe(true);
    expect((await viaProxy(sys.b.port, `http://other.test:${webPort}/small`)).status).toBe(200);
  });
});
