/**
 * The operator's path end to end: `zhengyun` files a request, department and ops approve it from
 * their terminals, and `watch` follows the real controller applying it on the local control plane
 * until the request is active.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Controller } from "@zhengyun/controller/controller";
import { type IsolatedDatabase, isolatedDatabase, startController, stateDir, testConfig } from "@zhengyun/controller/testing/fixtures";
import { buildApp } from "@zhengyun/portal/server/app";
import { totpCode } from "@zhengyun/portal/test/auth/totp";
import { AUTHENTICATORS, makeOrgWithPasswords, PASSWORD } from "@zhengyun/portal/test/browser/people";
import { type Org, TEST_RATE_LIMITS } from "@zhengyun/portal/test/harness";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../cli/bin/zhengyun.mjs", import.meta.url));
let isolated: IsolatedDatabase;
let state: Awaited<ReturnType<typeof stateDir>>;
let controller: Controller;
let app: FastifyInstance;
let url: string;
let org: Org;
const homes: string[] = [];

beforeAll(async () => {
  isolated = await isolatedDatabase("zy_e2e_cli");
  org = await makeOrgWithPasswords(isolated.database);
  state = await stateDir();
  controller = await startController(isolated.database, testConfig(isolated.url, state.dir));
  app = await buildApp({ db: isolated.database.db, logger: false, cookieSecret: "cli-e2e-secret-cli-e2e-secret-00", rateLimits: TEST_RATE_LIMITS });
  await app.listen({ port: 0, host: "127.0.0.1" });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app?.close();
  await controller?.stop(10_000);
  await state?.remove();
  await isolated?.drop();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

function zhengyun(home: string, args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, XDG_CONFIG_HOME: home, ZHENGYUN_URL: url, ZHENGYUN_PASSWORD: PASSWORD, LANG: "zh_CN.UTF-8" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function loggedIn(who: keyof Org["people"]) {
  const home = mkdtempSync(path.join(tmpdir(), "zy-cli-e2e-"));
  homes.push(home);
  // Platform people sign in with their authenticator (enrolled by the fixture).
  const authenticator = AUTHENTICATORS.get(org.people[who].username);
  const code = authenticator ? ["--code", await totpCode(authenticator.db, authenticator.userId, authenticator.secret)] : [];
  const r = await zhengyun(home, ["login", "--username", org.people[who].username, ...code]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain("已登录");
  return home;
}

describe("zhengyun against the controller on the local control plane", () => {
  it("files, approves and watches a request until the controller has made it active", async () => {
    const applicant = await loggedIn("applicant");
    const deptAdmin = await loggedIn("deptAdmin");
    const ops = await loggedIn("ops");
    const system = await org.as("applicant").systems.register({ name: "命令行开通系统", purpose: "CLI 端到端开通", level: 2, zone: "internal" });
    await org.grade(system.id, 2);

    const filed = await zhengyun(applicant, [
      "--json",
      "requests",
      "file",
      "--system",
      system.id,
      "--vcpu",
      "1",
      "--memory",
      "1",
      "--storage",
      "5",
      "--justification",
      "命令行开通测试",
    ]);
    expect(filed.code, filed.stderr).toBe(0);
    const { id } = JSON.parse(filed.stdout) as { id: string };

    expect(JSON.parse((await zhengyun(deptAdmin, ["--json", "requests", "approve", id])).stdout)).toMatchObject({ state: "dept_approved" });
    expect(JSON.parse((await zhengyun(ops, ["--json", "requests", "approve", id])).stdout)).toMatchObject({ state: "provisioning" });

    const watched = await zhengyun(applicant, ["--json", "watch", id, "--interval", "0.5", "--timeout", "240"]);
    expect(watched.code, watched.stderr).toBe(0);
    const events = watched.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { state: string; step?: string; done?: boolean });
    expect(events.at(-1)).toMatchObject({ state: "active", done: true });
    // The controller's own steps were shown as they came, not only the workflow's.
    expect(events.some((e) => e.step?.startsWith("→ ready") || e.step?.includes("Ready"))).toBe(true);

    const exported = await zhengyun(ops, ["allocations", "export", "--format", "csv"]);
    expect(exported.stdout).toContain(system.id);
  });
});
