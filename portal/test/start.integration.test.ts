/**
 * `npm start` on a machine with no database server: the portal process keeps an embedded
 * PostgreSQL (PGlite), seeds the demo, and serves health, readiness, metrics and the seeded data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../src/db/seed/data.js";
import { freePort } from "./ports.js";

const portalDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dataDir = mkdtempSync(path.join(tmpdir(), "zy-pglite-"));
let child: ChildProcess;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), ZHENGYUN_DATA_DIR: dataDir, LOG_LEVEL: "warn", ZHENGYUN_UI_BUILD: "off" };
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

  it("serves the seeded demo through tRPC to a signed-in user", async () => {
    const login = await fetch(`${base}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "ops1", password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")!;
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
