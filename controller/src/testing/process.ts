// Controllers as separate processes (`src/main.ts`, as `npm start` runs it), for tests that kill
// one or run several against one database.

import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { listProcesses } from "../apply/orphans.js";
import { kubeconfigPath, TEST_PASSPHRASE } from "./fixtures.js";

const controllerDir = resolve(fileURLToPath(import.meta.url), "..", "..", "..");
const tsx = resolve(controllerDir, "..", "node_modules", ".bin", "tsx");

export interface ControllerProcess {
  id: string;
  child: ChildProcess;
  /** Log lines (JSON) written so far. */
  lines: string[];
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  /** SIGKILL to the whole process group: the controller and the engine processes it started. */
  kill(): Promise<void>;
  /** SIGTERM, and wait for a clean exit. */
  stop(): Promise<number | null>;
  /** Removes its state directory (after it exited). */
  cleanUp(): Promise<void>;
}

export async function spawnController(id: string, databaseUrl: string, env: Record<string, string> = {}): Promise<ControllerProcess> {
  const stateDir = await mkdtemp(join(tmpdir(), `zhengyun-${id}-`));
  const child = spawn(tsx, ["src/main.ts"], {
    cwd: controllerDir,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      KUBECONFIG: kubeconfigPath(),
      PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
      ZHENGYUN_CONTROLLER_STATE_DIR: stateDir,
      ZHENGYUN_CONTROLLER_ID: id,
      ZHENGYUN_CONTROLLER_PORT: "0",
      ZHENGYUN_CONTROLLER_CONCURRENCY: "1",
      ZHENGYUN_LEASE_TTL_MS: "6000",
      ZHENGYUN_RESYNC_INTERVAL_MS: "1000",
      ZHENGYUN_CHECK_INTERVAL_MS: "3600000",
      ZHENGYUN_BACKOFF_BASE_MS: "500",
      ZHENGYUN_BACKOFF_CAP_MS: "5000",
      LOG_LEVEL: "info",
      ...env,
    },
  });
  const lines: string[] = [];
  let buffer = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    lines.push(...parts.filter(Boolean));
  });
  child.stderr?.on("data", (chunk: Buffer) => lines.push(chunk.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const pgid = child.pid!;
  const kill = async () => {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {}
    await exited;
  };
  return {
    id,
    child,
    lines,
    exited,
    kill,
    cleanUp: () => rm(stateDir, { recursive: true, force: true }),
    async stop() {
      try {
        process.kill(pgid, "SIGTERM");
      } catch {}
      const code = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 60_000))]);
      if (code === "timeout") {
        await kill();
        throw new Error(`controller ${id} did not stop within 60s`);
      }
      // Engine processes it started and that outlived it (none expected).
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {}
      return code;
    },
  };
}

/** Waits until the process logs that it is running (baseline in place). */
export async function untilRunning(proc: ControllerProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.lines.some((l) => l.includes('"msg":"controller running"'))) return;
    if (proc.child.exitCode !== null) throw new Error(`controller ${proc.id} exited:\n${proc.lines.slice(-20).join("\n")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`controller ${proc.id} did not start within ${timeoutMs}ms:\n${proc.lines.slice(-20).join("\n")}`);
}

/** Pulumi engines and plugins running under a process (its descendants), by pid. */
export function pulumiProcessesUnder(rootPid: number): number[] {
  const all = listProcesses();
  const children = new Map<number, number[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const under = new Set<number>();
  const queue = [rootPid];
  while (queue.length) {
    for (const c of children.get(queue.shift()!) ?? []) {
      if (under.has(c)) continue;
      under.add(c);
      queue.push(c);
    }
  }
  return all.filter((p) => under.has(p.pid) && /\/pulumi(-[a-z]+-[a-z0-9]+)?( \(deleted\))?$/.test(p.exe)).map((p) => p.pid);
}

/** The pids of `pids` still running. A zombie (ended, not yet reaped by its parent) counts as ended. */
export function stillRunning(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // The state follows the parenthesised command name, which may itself hold spaces.
      return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
    } catch {
      return false;
    }
  });
}
