// Runs a command to completion and returns its exit code and output; never throws for a non-zero exit.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(
  command: string,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

const KUBECTL_CANDIDATES = ["/usr/lib/google-cloud-sdk/bin/kubectl", "/usr/bin/kubectl", "/usr/local/bin/kubectl"];

/** The machine's kubectl ($KUBECTL, else the usual places). */
export function kubectlPath(): string {
  const found = process.env.KUBECTL ?? KUBECTL_CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error(`kubectl not found (tried ${KUBECTL_CANDIDATES.join(", ")}; set KUBECTL)`);
  return found;
}

/** kubectl against the given kubeconfig. */
export function kubectl(kubeconfig: string, args: readonly string[], input?: string): Promise<RunResult> {
  return run(kubectlPath(), ["--kubeconfig", kubeconfig, ...args], { input });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined, or fails with the last observation. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/** A short id that keeps this run's cluster objects apart from other runs and test files. */
export function uniqueId(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296)
    .toString(36)
    .padStart(2, "0")}`;
}
