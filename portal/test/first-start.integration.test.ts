/**
 * A fresh clone has no built UI: the first start builds it before serving, so the newcomer's first
 * page is the sign-in page, not a 404. The portal starts as `npm start` runs it (no DATABASE_URL,
 * embedded PGlite), with its UI folder pointed at an empty place.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./ports.js";

const portalDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const workDir = mkdtempSync(path.join(tmpdir(), "zy-first-start-"));
const uiDir = path.join(workDir, "ui");
let child: ChildProcess;
let base: string;
let output = "";

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    ZHENGYUN_DATA_DIR: path.join(workDir, "pglite"),
    UI_DIR: uiDir,
    ZHENGYUN_SEED: "none",
    LOG_LEVEL: "info",
  };
  delete env.DATABASE_URL;
  delete env.ZHENGYUN_UI_BUILD;
  child = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], { cwd: portalDir, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  // Building the bundle takes about a minute on a quiet machine; allow for a busy one.
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`the portal exited (${child.exitCode}):\n${output}`);
    const up = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the portal did not start within 10 min:\n${output}`);
}, 660_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
  rmSync(workDir, { recursive: true, force: true });
});

describe("first start from a tree without a built UI", () => {
  it("says it builds the UI, and builds it where it serves from", () => {
    expect(output).toContain("building the web UI");
    expect(existsSync(path.join(uiDir, "index.html"))).toBe(true);
  });

  it("serves the sign-in page and the scripts it loads", async () => {
    for (const page of ["/", "/login"]) {
      const res = await fetch(`${base}${page}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
      const html = await res.text();
      expect(html).toContain('<div id="root">');
      const script = html.match(/<script type="module" crossorigin src="([^"]+)"/)?.[1];
      expect(script).toMatch(/^\/assets\/.+\.js$/);
      const js = await fetch(`${base}${script}`);
      expect(js.status).toBe(200);
      expect(js.headers.get("content-type")).toContain("javascript");
    }
  });
});
