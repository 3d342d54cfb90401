// Work claiming from PostgreSQL. A claim is a lease on one system's reconcile_states row: taken with
// SELECT … FOR UPDATE SKIP LOCKED (replicas never wait for, or take, each other's rows), held by an
// owner until an expiry that the holder keeps renewing. A replica that dies stops renewing, and its
// work is taken over once the lease expires.

import type { SqlPool } from "@zhengyun/db/client";
import { CLAIMABLE, QUEUE_DEPTH, REQUEST_CHECK, WORK_DUE, WORK_FROM, WORK_ORDER } from "@zhengyun/db/work-queue";
import { CHANNEL } from "./listen.js";

export interface Claim {
  systemId: string;
  generation: number;
  observedGeneration: number;
  phase: string;
  /** A run was in progress when its holder died: the stack needs repair before use. */
  interrupted: boolean;
  appliedHash: string | null;
  appliedGeneration: number;
  attempts: number;
  failedGeneration: number | null;
  /** The periodic drift and usage check is due. */
  checkDue: boolean;
}

export class LeaseLost extends Error {
  constructor(systemId: string, owner: string) {
    super(`lease on system ${systemId} is no longer held by ${owner}`);
    this.name = "LeaseLost";
  }
}

/** Allocations that have no bookkeeping row yet get one. */
const ENSURE_ROWS = `
  insert into reconcile_states (system_id)
  select a.system_id from allocations a
  where not exists (select 1 from reconcile_states r where r.system_id = a.system_id)
  on conflict do nothing`;

/** Takes the first `$3` claimable systems with work due, in the queue's order, for `$1` for `$2` ms. */
const CLAIM = `
  with pick as (
    select r.system_id
    from ${WORK_FROM}
    where ${CLAIMABLE} and ${WORK_DUE}
    order by ${WORK_ORDER}
    limit $3
    for update of r skip locked
  )
  update reconcile_states r
  set lease_owner = $1, lease_expires_at = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
  from pick, allocations a
  where r.system_id = pick.system_id and a.system_id = r.system_id
  returning r.system_id, a.generation, a.observed_generation, a.phase::text as phase, r.run_started_at, r.applied_hash,
            r.applied_generation, r.attempts, r.failed_generation, coalesce(r.check_due_at <= now(), true) as check_due`;

interface ClaimRow {
  system_id: string;
  generation: number;
  observed_generation: number;
  phase: string;
  run_started_at: Date | null;
  applied_hash: string | null;
  applied_generation: number;
  attempts: number;
  failed_generation: number | null;
  check_due: boolean;
}

/** Claims up to `limit` systems for `owner`. */
export async function claimWork(pool: SqlPool, owner: string, limit: number, leaseTtlMs: number): Promise<Claim[]> {
  if (limit <= 0) return [];
  await pool.query(ENSURE_ROWS);
  const { rows } = await pool.query<ClaimRow>(CLAIM, [owner, leaseTtlMs, limit]);
  return rows.map((r) => ({
    systemId: r.system_id,
    generation: r.generation,
    observedGeneration: r.observed_generation,
    phase: r.phase,
    interrupted: r.run_started_at !== null,
    appliedHash: r.applied_hash,
    appliedGeneration: r.applied_generation,
    attempts: r.attempts,
    failedGeneration: r.failed_generation,
    checkDue: r.check_due,
  }));
}

/** Extends the lease; false when it is no longer ours (it expired and another replica took it). */
export async function renewLease(pool: SqlPool, systemId: string, owner: string, leaseTtlMs: number): Promise<boolean> {
  const { rowCount } = await pool.query(
    `update reconcile_states set lease_expires_at = now() + make_interval(secs => $3::double precision / 1000)
     where system_id = $1 and lease_owner = $2`,
    [systemId, owner, leaseTtlMs],
  );
  return rowCount === 1;
}

/** Gives the lease back and schedules the next check. */
export async function releaseLease(pool: SqlPool, systemId: string, owner: string, next: { checkInMs: number; requeueAt?: Date | null }): Promise<void> {
  await pool.query(
    `update reconcile_states
     set lease_owner = null, lease_expires_at = null, updated_at = now(),
         check_due_at = now() + make_interval(secs => $3::double precision / 1000),
         requeue_at = $4
     where system_id = $1 and lease_owner = $2`,
    [systemId, owner, next.checkInMs, next.requeueAt ?? null],
  );
}

/** Gives back every lease this owner holds (shutdown). */
export async function releaseAllLeases(pool: SqlPool, owner: string): Promise<void> {
  await pool.query(`update reconcile_states set lease_owner = null, lease_expires_at = null where lease_owner = $1`, [owner]);
}

/** Asks for a drift and usage check of one system now (e.g. from an operator), waking the controllers. */
export async function requestCheck(pool: SqlPool, systemId: string): Promise<void> {
  await pool.query(REQUEST_CHECK, [systemId]);
  await pool.query("select pg_notify($1, $2)", [CHANNEL, systemId]);
}

/** Systems with work waiting (the queue depth metric). */
export async function queueDepth(pool: SqlPool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(QUEUE_DEPTH);
  return rows[0]?.n ?? 0;
}
