// The controller's collector of the in-cluster gateway's access log: each gateway pod's Squid
// opens a TCP connection (its `tcp` log module) and writes one line per connection it handled;
// complete lines are stored in batches through the same path as the loopback tier's shipper
// (storeLogLines), so records, attribution and counters are the same in both tiers.

import { createServer, type Server, type Socket } from "node:net";
import type { Db } from "@zhengyun/db/client";
import { type ShipResult, storeLogLines } from "./store.js";

export interface CollectorStats {
  /** Gateway connections (one per Squid process) seen so far, by remote address. */
  senders: Set<string>;
}

export class EgressLogCollector {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private pending: string[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private unreported: ShipResult = { lines: 0, stored: 0, bySystem: new Map() };
  readonly stats: CollectorStats = { senders: new Set() };
  /** The last storing error, if any (lines stay pending and are tried again). */
  lastError: unknown;

  constructor(
    private readonly db: Db,
    private readonly flushMs = 250,
  ) {}

  /** Listens on host:port (port 0: any free port); returns the address the gateway should send to. */
  async listen(host: string, port = 0): Promise<{ host: string; port: number }> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    this.timer = setInterval(() => void this.flush(), this.flushMs);
    const address = server.address() as { port: number };
    return { host, port: address.port };
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    this.stats.senders.add(`${socket.remoteAddress}:${socket.remotePort}`);
    let partial = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      const text = partial + chunk;
      const end = text.lastIndexOf("\n");
      if (end < 0) {
        partial = text;
        return;
      }
      this.pending.push(...text.slice(0, end).split("\n"));
      partial = text.slice(end + 1);
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      if (partial.trim()) this.pending.push(partial);
      this.sockets.delete(socket);
    });
  }

  /** Stores every line received so far (one batch at a time). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.length === 0) return;
      const lines = this.pending;
      this.pending = [];
      try {
        const r = await storeLogLines(this.db, lines);
        this.lastError = undefined;
        this.unreported.lines += r.lines;
        this.unreported.stored += r.stored;
        for (const [system, c] of r.bySystem) {
          const u = this.unreported.bySystem.get(system) ?? { allowed: 0, denied: 0, bytesIn: 0, bytesOut: 0 };
          u.allowed += c.allowed;
          u.denied += c.denied;
          u.bytesIn += c.bytesIn;
          u.bytesOut += c.bytesOut;
          this.unreported.bySystem.set(system, u);
        }
      } catch (err) {
        this.lastError = err;
        this.pending = [...lines, ...this.pending];
      }
    });
    return this.flushing;
  }

  /** What was stored since the last call (for the counters on /metrics). */
  async collect(): Promise<ShipResult> {
    await this.flush();
    const r = this.unreported;
    this.unreported = { lines: 0, stored: 0, bySystem: new Map() };
    return r;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const server = this.server;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.flush();
  }
}
