// Pulumi plugins (the Kubernetes provider) run in process groups of their own, children of the
// engine. When the engine is killed rather than cancelled (SIGKILL, a container stopped past its
// grace period), the plugin is left behind, adopted by PID 1, holding memory and a port for ever.
// The controller clears such orphans of its own user when it starts and when it stops.

import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { basename } from "node:path";

export interface ProcessInfo {
  pid: number;
  ppid: number;
  uid: number;
  /** The executable's path; empty when it cannot be read. */
  exe: string;
}

const PLUGIN = /^pulumi-(resource|language|analyzer|converter|tool)-/;

const ENGINE = /^pulumi$/;

const binary = (p: ProcessInfo) => basename(p.exe.replace(/ \(deleted\)$/, ""));

/**
 * Pure: the processes that are Pulumi plugins of `uid` with no engine left. An orphan is adopted
 * by PID 1 or by whichever ancestor made itself a subreaper, so the test is that its parent is not
 * a Pulumi engine, not that its parent is PID 1.
 */
export function orphanedPlugins(processes: readonly ProcessInfo[], uid: number): ProcessInfo[] {
  const engines = new Set(processes.filter((p) => ENGINE.test(binary(p))).map((p) => p.pid));
  return processes.filter((p) => p.uid === uid && PLUGIN.test(binary(p)) && !engines.has(p.ppid));
}

/** This machine's processes, from /proc (empty where there is none). */
export function listProcesses(): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const out: ProcessInfo[] = [];
  for (const entry of entries) {
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      let exe = "";
      try {
        exe = readlinkSync(`/proc/${entry}/exe`);
      } catch {
        // Another user's process, or one that just ended.
      }
      out.push({ pid: Number(entry), ppid, uid, exe });
    } catch {
      // The process ended while we read it.
    }
  }
  return out;
}

/** Kills this user's orphaned Pulumi plugins; returns their pids. */
export function reapOrphanedPlugins(processes: readonly ProcessInfo[] = listProcesses()): number[] {
  const uid = process.getuid?.() ?? -1;
  const killed: number[] = [];
  for (const p of orphanedPlugins(processes, uid)) {
    try {
      process.kill(p.pid, "SIGKILL");
      killed.push(p.pid);
    } catch {
      // Already gone.
    }
  }
  return killed;
}
