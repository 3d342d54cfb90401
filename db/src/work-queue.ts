// What counts as the controller's work, written once. Every statement that asks "is there work on
// this system?" (the claim, the queue depth metric, the next wake-up, a check asked for from the
// portal) uses these predicates over `reconcile_states r join allocations a`, so they cannot differ.

/** Joins a system's bookkeeping row to its allocation; the predicates below use these aliases. */
export const WORK_FROM = "reconcile_states r join allocations a on a.system_id = r.system_id";

/** A system that still exists on the cluster (or is about to): a released one is work only when changed again. */
export const LIVE = "(a.phase <> 'released' or a.observed_generation < a.generation)";

/**
 * Work waiting now: a generation not yet observed, a run that was interrupted, an unfinished or
 * stalled phase, a provisioning request not yet reported, a due check or a due requeue.
 */
export const WORK_DUE = `(
  a.observed_generation < a.generation
  or r.run_started_at is not null
  or a.phase in ('pending', 'reconciling', 'releasing', 'stalled')
  or exists (select 1 from resource_requests q where q.id = a.request_id and q.state = 'provisioning')
  or (a.phase <> 'released' and coalesce(r.check_due_at, '-infinity'::timestamptz) <= now())
  or r.requeue_at <= now()
)`;

/** Nobody holds the lease (or its holder let it expire) and the backoff after a failure has elapsed. */
export const CLAIMABLE = `(
  (r.lease_owner is null or r.lease_expires_at < now())
  and (r.not_before is null or r.not_before <= now() or r.failed_generation is distinct from a.generation)
)`;

/** The order work is taken in: new generations first, then the longest-waiting check. */
export const WORK_ORDER = "(a.observed_generation < a.generation) desc, coalesce(r.check_due_at, '-infinity'::timestamptz), r.system_id";

/** Systems with work waiting, claimable or not (the queue depth). */
export const QUEUE_DEPTH = `select count(*)::int as n from ${WORK_FROM} where ${WORK_DUE}`;

/** The earliest moment a live system becomes due: a backoff, a check, a requeue or a lease running out. */
export const NEXT_DUE = `select min(least(r.not_before, r.check_due_at, r.requeue_at, r.lease_expires_at)) as at from ${WORK_FROM} where ${LIVE}`;

/** A system a check can be asked for: one that holds resources on the cluster. */
export const CHECKABLE = "a.phase <> 'released'";

/**
 * Asks for a check of one system now ($1 = system id); returns its id when it is checkable.
 * Callers then notify the controllers (pg_notify on the allocations channel).
 */
export const REQUEST_CHECK = `update reconcile_states r set check_due_at = now() from allocations a
  where r.system_id = $1 and a.system_id = r.system_id and ${CHECKABLE}
  returning r.system_id`;
