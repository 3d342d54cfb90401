// Runs the egress gateway (Squid) on this host: writes the rendered configuration into a directory
// only the controller can write, has Squid validate it (`squid -k parse`) before it replaces the
// running one, starts Squid, and reloads it with `squid -k reconfigure` when the hash changes
// (open connections carry on; new ones get the new rules). In a cluster the chart mounts the same
// rendered file into the gateway pods of the `zhengyun-egress` namespace instead (see README).

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Db } from "@zhengyun/db/client";
import type { GatewaySettings, RenderedGateway } from "./render.js";
import { type ShipResult, shipLog } from "./store.js";

const run = promisify(execFile);

/** The account Debian's Squid drops to when started as root (cache_effective_user's default). */
const SQUID_USER = "proxy";

function systemUser(name: string): { uid: number; gid: number } | undefined {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

export interface GatewayOptions {
  /** The Squid binary (Debian's package: /usr/sbin/squid). */
  squid: string;
  /** The controller-owned directory holding the configuration, logs and pid file (mode 0700). */
  dir: string;
  listenAddress?: string;
  closedPort: number;
  hostsFile?: string;
  refuseInternalAddresses: boolean;
  shutdownSeconds?: number;
}

export type ApplyResult = "unchanged" | "started" | "reconfigured";

export class GatewayConfigError extends Error {}

export class EgressGateway {
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private appliedHash: string | undefined;
  readonly paths: { config: string; accessLog: string; cacheLog: string; pidFile: string; spool: string };

  constructor(private readonly options: GatewayOptions) {
    const dir = options.dir;
    this.paths = {
      config: join(dir, "squid.conf"),
      accessLog: join(dir, "logs", "access.log"),
      cacheLog: join(dir, "logs", "cache.log"),
      pidFile: join(dir, "run", "squid.pid"),
      spool: join(dir, "spool"),
    };
  }

  /** The settings the renderer needs for this host's paths. */
  settings(): GatewaySettings {
    return {
      listenAddress: this.options.listenAddress,
      closedPort: this.options.closedPort,
      accessLog: this.paths.accessLog,
      cacheLog: this.paths.cacheLog,
      pidFile: this.paths.pidFile,
      coredumpDir: this.paths.spool,
      hostsFile: this.options.hostsFile,
      refuseInternalAddresses: this.options.refuseInternalAddresses,
      shutdownSeconds: this.options.shutdownSeconds,
    };
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get hash(): string | undefined {
    return this.appliedHash;
  }

  /**
   * The directory is the controller's (0700; 0711 when Squid drops to its own user, which then owns
   * only the log, run and spool directories it writes). The configuration stays the controller's,
   * 0600: Squid reads it before dropping privileges.
   */
  private prepare(): void {
    const squidUser = process.getuid?.() === 0 ? systemUser(SQUID_USER) : undefined;
    mkdirSync(this.options.dir, { recursive: true, mode: 0o700 });
    if (squidUser) {
      // Squid, once it has dropped to its own user, must still reach its log directory.
      for (let d = dirname(resolve(this.options.dir)); ; d = dirname(d)) {
        const st = statSync(d);
        if (!(st.mode & 0o001) && st.uid !== squidUser.uid)
          throw new Error(
            `squid runs as '${SQUID_USER}' and cannot reach ${this.options.dir}: ${d} is not searchable by other users (chmod o+x, or choose another state directory)`,
          );
        if (d === dirname(d)) break;
      }
    }
    chmodSync(this.options.dir, squidUser ? 0o711 : 0o700);
    for (const sub of ["logs", "run", "spool"]) {
      const d = join(this.options.dir, sub);
      mkdirSync(d, { recursive: true, mode: 0o700 });
      chmodSync(d, 0o700);
      if (squidUser) {
        chownSync(d, squidUser.uid, squidUser.gid);
        for (const f of readdirSync(d)) chownSync(join(d, f), squidUser.uid, squidUser.gid);
      }
    }
  }

  /** `squid -k parse`: refuses a configuration Squid would not load, before it replaces anything. */
  async validate(config: string): Promise<void> {
    this.prepare();
    const candidate = join(this.options.dir, "squid.conf.next");
    writeFileSync(candidate, config, { mode: 0o600 });
    try {
      const { stderr } = await run(this.options.squid, ["-k", "parse", "-f", candidate]);
      const fatal = stderr.split("\n").find((l) => /FATAL|ERROR/.test(l));
      if (fatal) throw new GatewayConfigError(`squid refused the gateway configuration: ${fatal.trim()}`);
    } catch (err) {
      if (err instanceof GatewayConfigError) throw err;
      const e = err as { stderr?: string; message: string };
      throw new GatewayConfigError(`squid refused the gateway configuration: ${(e.stderr ?? e.message).trim().split("\n").slice(-3).join(" ")}`);
    }
  }

  /** Puts the rendered configuration in force: validate, replace, then start or reconfigure. */
  async apply(rendered: RenderedGateway): Promise<ApplyResult> {
    if (this.running && rendered.hash === this.appliedHash) return "unchanged";
    await this.validate(rendered.config);
    const reloads = this.reconfigureCount();
    renameSync(join(this.options.dir, "squid.conf.next"), this.paths.config);
    if (!this.running) {
      await this.start();
      this.appliedHash = rendered.hash;
      return "started";
    }
    await run(this.options.squid, ["-k", "reconfigure", "-f", this.paths.config]);
    await this.waitFor(() => this.reconfigureCount() > reloads && this.acceptingAfterLastReconfigure(), "reconfigure");
    await this.waitForPort();
    this.appliedHash = rendered.hash;
    return "reconfigured";
  }

  private cacheLog(): string {
    return existsSync(this.paths.cacheLog) ? readFileSync(this.paths.cacheLog, "utf8") : "";
  }

  private reconfigureCount(): number {
    return this.cacheLog().split("Reconfiguring Squid Cache").length - 1;
  }

  private acceptingAfterLastReconfigure(): boolean {
    const log = this.cacheLog();
    const at = log.lastIndexOf("Reconfiguring Squid Cache");
    return at >= 0 && log.indexOf("Accepting HTTP Socket connections", at) >= 0;
  }

  private async start(): Promise<void> {
    this.prepare();
    // -N: stay in the foreground as our child, so its exit is seen; -k commands still find it by pid file.
    const child = spawn(this.options.squid, ["-N", "-f", this.paths.config], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-4000);
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    try {
      await this.waitForPort();
    } catch (err) {
      throw new Error(`squid did not start: ${stderr.trim() || (err as Error).message}`);
    }
  }

  private async waitFor(done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (this.child && !this.running) throw new Error(`squid exited during ${what}`);
      if (Date.now() > deadline) throw new Error(`squid did not finish ${what} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits until the closed port accepts connections: Squid is listening. */
  private async waitForPort(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child && !this.running) throw new Error("squid exited");
      const ok = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: this.options.listenAddress ?? "127.0.0.1", port: this.options.closedPort });
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      });
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`squid is not listening on ${this.options.closedPort}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Stores the access log's new lines (exactly once: the cursor commits with the rows). */
  collect(db: Db, source: string): Promise<ShipResult> {
    return shipLog(db, source, this.paths.accessLog);
  }

  /** Stops Squid (`squid -k shutdown`, then waits for the process). */
  async stop(): Promise<void> {
    if (!this.running) return;
    await run(this.options.squid, ["-k", "shutdown", "-f", this.paths.config]).catch(() => this.child?.kill("SIGTERM"));
    const timer = setTimeout(() => this.child?.kill("SIGKILL"), ((this.options.shutdownSeconds ?? 30) + 10) * 1000);
    await this.exited;
    clearTimeout(timer);
    this.child = undefined;
    this.appliedHash = undefined;
  }
}
