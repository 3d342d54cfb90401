/**
 * `npm start` on a machine with no database server: the portal process keeps an embedded
 * PostgreSQL (PGlite), seeds the demo when listening on loopback, and serves health, readiness,
 * the seeded data, and metrics on a port of their own. Listening on every interface (as in a
 * container) it does not seed the demo accounts unless asked.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpFor } from "../src/auth/totp.js";
import { DEMO_PASSWORD } from "../src/db/seed/data.js";
import { freePort } from "./ports.js";

const portalDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dataDir = mkdtempSync(path.join(tmpdir(), "zy-pglite-"));
let child: ChildProcess;
let base: string;
let metricsBase: string;

/** Starts `src/server/main.ts` with no DATABASE_URL and waits for /healthz; collects its log lines. */
async function startMain(extra: NodeJS.ProcessEnv, url: string, dir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, ZHENGYUN_DATA_DIR: dir, LOG_LEVEL: "info", ZHENGYUN_UI_BUILD: "off", ...extra };
  delete env.DATABASE_URL;
  const proc = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], { cwd: portalDir, env, stdio: ["ignore", "pipe", "inherit"] });
  const log: string[] = [];
  proc.stdout?.setEncoding("utf8").on("data", (chunk: string) => log.push(...chunk.split("\n").filter(Boolean)));
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { proc, log };
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill("SIGTERM");
  throw new Error("the portal did not start within 60 s");
}

const stop = async (proc: ChildProcess | undefined) => {
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once("exit", r));
  proc.kill("SIGTERM");
  await exited;
};

beforeAll(async () => {
  const port = await freePort();
  const metricsPort = await freePort();
  base = `http://127.0.0.1:${port}`;
  metricsBase = `http://127.0.0.1:${metricsPort}`;
  ({ proc: child } = await startMain({ PORT: String(port), METRICS_PORT: String(metricsPort) }, base, dataDir));
}, 90_000);

afterAll(async () => {
  await stop(child);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start with no DATABASE_URL", () => {
  it("serves /healthz and /readyz, and /metrics only on the metrics port", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: "ready" });
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    const metrics = await (await fetch(`${metricsBase}/metrics`)).text();
    expect(metrics).toContain("zhengyun_portal_http_request_duration_seconds");
  });

  it("serves the seeded demo through tRPC to a signed-in user, who sets up an authenticator at the first sign-in", async () => {
    const post = (procedure: string, body: unknown, cookie?: string) =>
      fetch(`${base}/trpc/${procedure}${body === undefined ? "?batch=1" : ""}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(body ?? {}),
      });
    const login = await post("auth.login", { username: "ops1", password: DEMO_PASSWORD });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { result: { data: unknown } }).result.data).toEqual({ ok: true, next: "enrol_totp" });
    const challenge = login.headers.get("set-cookie")!;
    expect(challenge).toMatch(/zy_signin=.*HttpOnly.*SameSite=Strict/i);
    expect(challenge).not.toMatch(/zy_session=/);
    const signIn = challenge.split(";")[0]!;
    const setup = (await (await post("auth.totpSetup", undefined, signIn)).json()) as [{ result: { data: { secret: string } } }];
    const code = totpFor(setup[0].result.data.secret, "ops1").generate();
    const confirmed = await post("auth.totpConfirm", { code }, signIn);
    expect(confirmed.status).toBe(200);
    const cookie = confirmed.headers.getSetCookie().find((c) => c.startsWith("zy_session="))!;
    expect(cookie).toMatch(/zy_session=.*HttpOnly.*SameSite=Strict/i);
    const list = await fetch(`${base}/trpc/requests.list?input=${encodeURIComponent(JSON.stringify({ limit: 100 }))}`, {
      headers: { cookie: cookie.split(";")[0]! },
    });
    const body = (await list.json()) as { result: { data: { state: string; departmentName: string }[] } };
    const states = new Set(body.result.data.map((r) => r.state));
    for (const s of ["draft", "submitted", "dept_approved", "ops_approved", "provisioning", "active", "failed", "rejected", "withdrawn"])
      expect(states).toContain(s);
    expect(body.result.data.some((r) => r.departmentName === "扬州市发展和改革委员会")).toBe(true);
  });

  it("refuses tRPC data to anonymous callers", async () => {
    const res = await fetch(`${base}/trpc/requests.list`);
    expect(res.status).toBe(401);
  });
});

describe("npm start with no DATABASE_URL listening on every interface", () => {
  it("does not seed the demo accounts unless asked, and says so in the log", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "zy-pglite-open-"));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let proc: ChildProcess | undefined;
    try {
      const started = await startMain({ PORT: String(port), HOST: "0.0.0.0", METRICS_PORT: "0" }, url, dir);
      proc = started.proc;
      const login = await fetch(`${url}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(401);
      expect(started.log.join("\n")).toMatch(/not seeding the demo accounts \(published passwords\) while listening on 0\.0\.0\.0; set ZHENGYUN_SEED=demo/);
    } finally {
      await stop(proc);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
