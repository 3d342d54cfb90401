// The reconcile loop of one replica: claims work from PostgreSQL (woken by NOTIFY, a timer for the
// next due item, and a periodic resync), runs up to `concurrency` systems at once, renews their
// leases while they run, and gives them back.

import { setTimeout as sleep } from "node:timers/promises";
import type { Database, SqlPool } from "@zhengyun/db/client";
import { reclaimExpired } from "@zhengyun/db/requests/platform";
import { compactUsage } from "@zhengyun/db/usage/history";
import { NEXT_DUE } from "@zhengyun/db/work-queue";
import { SharedObjects } from "@zhengyun/policies/observe";
import type { Logger } from "pino";
import { pulumiApplier } from "./apply/applier.js";
import { reapOrphanedPlugins } from "./apply/orphans.js";
import { type Claim, claimWork, queueDepth, releaseAllLeases, releaseLease, renewLease } from "./claims/claims.js";
import { CHANNEL, type Listener, listen } from "./claims/listen.js";
import type { ControllerConfig } from "./config.js";
import { clusterIdentity, type KubeClients, kubeClients } from "./kube.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { ensureBaseline } from "./reconcile/baseline.js";
import type { ReconcileContext } from "./reconcile/context.js";
import { reconcileClaim } from "./reconcile/reconcile.js";

/** Earliest moment some system becomes claimable (a backoff ends, a check or requeue is due, a lease expires). */
/** The value of `load`, asked for once; a failure is not kept, so the next call tries again. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load().catch((err: unknown) => {
      value = undefined;
      throw err;
    });
    return value;
  };
}

/** How often the usage history's retention job runs (it rolls up whole hours). */
const USAGE_COMPACTION_INTERVAL_MS = 15 * 60_000;

export interface ControllerOptions {
  database: Database;
  config: ControllerConfig;
  log: Logger;
  /** Register Node's default process metrics (only once per process). */
  processMetrics?: boolean;
}

export class Controller {
  readonly metrics: Metrics;
  private readonly ctx: ReconcileContext;
  private readonly pool: SqlPool;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly aborts = new Map<string, AbortController>();
  private listener: Listener | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private pumping = false;
  private again = false;
  private stopping = false;
  /** The baseline update under way, if any, and how to cancel it when stopping. */
  private baselineRun?: Promise<void>;
  private readonly baselineAbort = new AbortController();
  private readonly stopRequested = new AbortController();
  private baselineReady = false;
  private lastBaselineCheck = 0;
  private lastUsageCompaction = 0;

  constructor(private readonly options: ControllerOptions) {
    const { database, config, log } = options;
    this.pool = database.sql;
    const kube: KubeClients = kubeClients(config.kubeconfig);
    this.metrics = createMetrics(() => queueDepth(this.pool), options.processMetrics);
    const connection = once(async () => ({ kubeconfig: config.kubeconfig, identifier: await clusterIdentity(kube.core) }));
    const host = { backendUrl: config.pulumiBackendUrl, passphrase: config.pulumiPassphrase, stateDir: config.stateDir };
    this.ctx = {
      db: database.db,
      pool: this.pool,
      config,
      applier: pulumiApplier(host, connection),
      kube,
      sharedObjects: new SharedObjects(kube.catalog, config.evidenceSharedTtlMs),
      log: log.child({ owner: config.owner }),
      metrics: this.metrics,
    };
  }

  get owner(): string {
    return this.options.config.owner;
  }

  /** Ready to reconcile: the baseline is in place and the loop is running. */
  get ready(): boolean {
    return this.baselineReady && !this.stopping;
  }

  get busy(): number {
    return this.inFlight.size;
  }

  async start(): Promise<void> {
    const { config } = this.options;
    this.reapOrphans();
    await this.baseline(true);
    // Stopped while the baseline was being applied: do not start the loop.
    if (this.stopping) return;
    const { database } = this.options;
    if (database.listen) {
      // The embedded database announces in process.
      const unlisten = await database.listen(CHANNEL, () => this.wake());
      this.listener = { close: unlisten };
    } else {
      this.listener = listen(
        config.databaseUrl,
        () => this.wake(),
        (err) => this.ctx.log.warn({ err: String(err) }, "notification connection lost; reconnecting"),
      );
    }
    this.resyncTimer = setInterval(() => void this.resync(), config.resyncIntervalMs);
    this.wake();
  }

  /** Stops claiming, lets running systems finish (aborting them after `graceMs`), gives leases back. */
  async stop(graceMs = 60_000): Promise<void> {
    this.stopping = true;
    this.stopRequested.abort();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    await this.listener?.close();
    const all = Promise.allSettled([...this.inFlight.values()]);
    const timeout = new Promise<void>((r) => setTimeout(r, graceMs).unref());
    const baseline = this.baselineRun ?? Promise.resolve();
    await Promise.race([Promise.all([all, baseline]), timeout]);
    // Cancelled runs let the engine end its plugins; killed ones would leave them running.
    for (const abort of this.aborts.values()) abort.abort();
    this.baselineAbort.abort();
    await Promise.all([all, baseline]);
    await releaseAllLeases(this.pool, this.owner).catch(() => undefined);
    this.reapOrphans();
  }

  /** Plugins left behind by engines that were killed (here or by an earlier process) are ended. */
  private reapOrphans(): void {
    const killed = reapOrphanedPlugins();
    if (killed.length) this.ctx.log.warn({ pids: killed }, "ended Pulumi plugins whose engine was gone");
  }

  /** Claims as much work as there are free slots. Safe to call at any time. */
  wake(): void {
    if (this.stopping || !this.baselineReady) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async pump(): Promise<void> {
    const { config } = this.options;
    try {
      const free = config.concurrency - this.inFlight.size;
      if (free > 0) {
        const claims = await claimWork(this.pool, this.owner, free, config.leaseTtlMs);
        for (const claim of claims) this.run(claim);
      }
      await this.scheduleNext();
    } catch (err) {
      this.ctx.log.error({ err: String(err) }, "claiming work failed");
    }
  }

  /** Wakes up when the next system becomes due (bounded by the resync interval). */
  private async scheduleNext(): Promise<void> {
    const { rows } = await this.pool.query<{ at: Date | null }>(NEXT_DUE);
    const at = rows[0]?.at;
    if (!at) return;
    const delay = Math.min(Math.max(at.getTime() - Date.now(), 50), this.options.config.resyncIntervalMs);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => this.wake(), delay);
    this.wakeTimer.unref();
  }

  private run(claim: Claim): void {
    const { config } = this.options;
    const abort = new AbortController();
    const heartbeat = setInterval(
      () =>
        void renewLease(this.pool, claim.systemId, this.owner, config.leaseTtlMs)
          .then((held) => {
            if (!held) abort.abort(new Error("lease lost"));
          })
          .catch((err) => this.ctx.log.warn({ err: String(err), systemId: claim.systemId }, "lease renewal failed")),
      Math.max(200, Math.floor(config.leaseTtlMs / 3)),
    );
    this.metrics.inFlight.inc();
    this.aborts.set(claim.systemId, abort);
    const work = reconcileClaim(this.ctx, claim, abort.signal)
      .then((outcome) => releaseLease(this.pool, claim.systemId, this.owner, { checkInMs: config.checkIntervalMs, requeueAt: outcome.requeueAt ?? null }))
      .catch((err) => this.ctx.log.error({ err: String(err), systemId: claim.systemId }, "could not give the lease back"))
      .finally(() => {
        clearInterval(heartbeat);
        this.metrics.inFlight.dec();
        this.inFlight.delete(claim.systemId);
        this.aborts.delete(claim.systemId);
        this.wake();
      });
    this.inFlight.set(claim.systemId, work);
  }

  /** Periodic pass: expired grants become releases, the baseline is checked, missed work is claimed. */
  private async resync(): Promise<void> {
    if (this.stopping) return;
    try {
      const reclaimed = await reclaimExpired(this.ctx.db);
      if (reclaimed.length) this.ctx.log.info({ systems: reclaimed }, "expired grants reclaimed");
      if (Date.now() - this.lastUsageCompaction >= USAGE_COMPACTION_INTERVAL_MS) {
        this.lastUsageCompaction = Date.now();
        const compacted = await compactUsage(this.ctx.db, new Date());
        if (compacted.removed) this.ctx.log.info(compacted, "usage history rolled up");
      }
      if (Date.now() - this.lastBaselineCheck >= this.options.config.checkIntervalMs) await this.baseline(false);
    } catch (err) {
      this.ctx.log.error({ err: String(err) }, "resync failed");
    }
    this.wake();
  }

  private baseline(retryUntilDone: boolean): Promise<void> {
    const run = this.applyBaseline(retryUntilDone).finally(() => {
      if (this.baselineRun === run) this.baselineRun = undefined;
    });
    this.baselineRun = run;
    return run;
  }

  private async applyBaseline(retryUntilDone: boolean): Promise<void> {
    let delay = this.options.config.backoffBaseMs;
    for (;;) {
      try {
        const result = await ensureBaseline(this.ctx, this.baselineAbort.signal);
        this.lastBaselineCheck = Date.now();
        this.baselineReady = true;
        if (result === "applied") this.ctx.log.info("platform baseline in place");
        return;
      } catch (err) {
        this.ctx.log.error({ err: String(err) }, "applying the platform baseline failed");
        if (!retryUntilDone || this.stopping) return;
        // A stop request ends the wait at once.
        const retried = await sleep(delay, true, { signal: this.stopRequested.signal }).catch(() => false);
        if (!retried) return;
        delay = Math.min(delay * 2, this.options.config.backoffCapMs);
      }
    }
  }
}
