// Child processes of the local control plane, each in its own process group so that
// stopping one stops everything it started.
//
// A small reaper process holds a pipe from this process: when this process dies for
// any reason (even SIGKILL), the pipe closes and the reaper kills the groups (and
// removes a temporary state directory), so no etcd or API server is left behind. It also
// runs registered cleanup commands (the node's: containers, mounts, bridge, firewall rules)
// after the groups are gone.

import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";

export interface Managed {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | NodeJS.Signals>;
  exitedYet: () => boolean;
}

const REAPER_SOURCE = `
const groups = new Set();
const dirs = new Set();
const commands = [];
let buf = "";
const killAll = (sig) => { for (const g of groups) { try { process.kill(-g, sig); } catch {} } };
const finish = () => {
  killAll("SIGKILL");
  for (const argv of commands) { try { require("node:child_process").spawnSync(argv[0], argv.slice(1), { stdio: "ignore", timeout: 60000 }); } catch {} }
  for (const d of dirs) { try { require("node:fs").rmSync(d, { recursive: true, force: true }); } catch {} }
  process.exit(0);
};
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});
process.stdin.on("data", (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf("\\n")) >= 0) {
    const msg = JSON.parse(buf.slice(0, i));
    buf = buf.slice(i + 1);
    if (msg.add) groups.add(msg.add);
    if (msg.del) groups.delete(msg.del);
    if (msg.dir) dirs.add(msg.dir);
    if (msg.keep) dirs.delete(msg.keep);
    if (msg.run) commands.push(msg.run);
  }
});
process.stdin.on("close", () => {
  if (groups.size === 0) finish();
  killAll("SIGTERM");
  setTimeout(finish, 5000);
});
process.stdin.resume();
`;

/** Kills registered process groups if this process goes away without stopping them. */
export class Reaper {
  private readonly child: ChildProcess;

  constructor() {
    this.child = spawn(process.execPath, ["-e", REAPER_SOURCE], {
      detached: true,
      stdio: ["pipe", "ignore", "ignore"],
    });
    this.child.unref();
    // Neither the reaper nor its pipe may keep this process alive.
    (this.child.stdin as unknown as { unref?: () => void }).unref?.();
    this.child.stdin?.on("error", () => {});
  }

  private send(message: Record<string, string | number | string[]>): void {
    this.child.stdin?.write(`${JSON.stringify(message)}\n`);
  }

  add(pgid: number): void {
    this.send({ add: pgid });
  }

  remove(pgid: number): void {
    this.send({ del: pgid });
  }

  /** Also remove this directory if this process goes away (after killing the groups). */
  removeDirOnExit(dir: string): void {
    this.send({ dir });
  }

  /** Run this command (after killing the groups, before removing directories) if this process goes away. */
  runOnExit(argv: string[]): void {
    this.send({ run: argv });
  }

  keepDir(dir: string): void {
    this.send({ keep: dir });
  }

  /** Ends the reaper; call after every registered group has been stopped. */
  close(): void {
    this.child.stdin?.end();
  }
}

/** Starts a command as the leader of a new process group, output appended to logFile. */
export function startProcess(name: string, command: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv): Managed {
  const fd = openSync(logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      detached: true,
      stdio: ["ignore", fd, fd],
      env: env ?? process.env,
    });
  } finally {
    closeSync(fd);
  }
  let done = false;
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once("exit", (code, signal) => {
      done = true;
      resolve(signal ?? code ?? 0);
    });
    child.once("error", () => {
      done = true;
      resolve(127);
    });
  });
  child.unref();
  if (child.pid === undefined) {
    throw new Error(`could not start ${name} (${command}); see ${logFile}`);
  }
  return { name, pid: child.pid, child, logFile, exited, exitedYet: () => done };
}

/** A process that has exited but was not yet reaped by its parent (Linux only). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

/**
 * Whether a process group still has a running process. Our groups hold a single
 * process, so a group whose leader has exited but awaits reaping (its parent, e.g.
 * after `cluster:up` returned, may reap late) counts as gone.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return !isZombie(pgid);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops a process group: SIGTERM, then SIGKILL after `graceMs`, and waits until no
 * process of the group is left.
 */
export async function stopGroup(pgid: number, graceMs = 10_000): Promise<void> {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(50);
  if (groupAlive(pgid)) {
    signalGroup(pgid, "SIGKILL");
    const hard = Date.now() + 5_000;
    while (groupAlive(pgid) && Date.now() < hard) await sleep(50);
  }
}

/** Synchronous best-effort kill, for process 'exit' handlers. */
export function killGroupNow(pgid: number): void {
  signalGroup(pgid, "SIGKILL");
}
