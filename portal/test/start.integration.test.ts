/**
 * `npm start` on a machine with no database server: the portal process keeps an embedded
 * PostgreSQL (PGlite), seeds the demo, and serves health, readiness, metrics and the seeded data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpFor } from "../src/auth/totp.js";
import { DEMO_PASSWORD } from "../src/db/seed/data.js";

const portalDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dataDir = mkdtempSync(path.join(tmpdir(), "zy-pglite-"));
let child: ChildProcess;
let base: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), ZHENGYUN_DATA_DIR: dataDir, LOG_LEVEL: "warn" };
  delete env.DATABASE_URL;
  child = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], { cwd: portalDir, env, stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the portal did not start within 60 s");
}, 90_000);

afterAll(async () => {
  child?.kill("SIGTERM");
  await new Promise((r) => child?.once("exit", r));
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start with no DATABASE_URL", () => {
  it("serves /healthz, /readyz and /metrics", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: "ready" });
    const metrics = await (await fetch(`${base}/metrics`)).text();
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
