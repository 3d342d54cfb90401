// Repairs a stack left behind by a killed run: lock, pending operations, stale state.

import type { Stack } from "@pulumi/pulumi/automation/index.js";

export interface Recovery {
  /** Operations that were in flight when the run died (e.g. `creating` a NetworkPolicy). */
  droppedPendingOperations: string[];
}

/** True for the engine's refusal to run on a stack another (possibly dead) run still locks. */
export function isLockedError(err: unknown): boolean {
  const text = String((err as { message?: string })?.message ?? err);
  return /currently locked|locked by \d+ lock/i.test(text);
}

/**
 * Only call while holding the system's lease: the lease guarantees that the run that left the lock
 * is gone (it stopped renewing the lease a full TTL ago).
 */
export async function recoverStack(stack: Stack): Promise<Recovery> {
  // With a DIY (postgres:// or file://) backend, cancel removes the stack's lock files.
  await stack.cancel().catch(() => undefined);
  const state = await stack.exportStack();
  const deployment = state.deployment as { pending_operations?: { type?: string; resource?: { urn?: string } }[] } | undefined;
  const pending = deployment?.pending_operations ?? [];
  if (deployment && pending.length > 0) {
    await stack.importStack({ ...state, deployment: { ...deployment, pending_operations: [] } });
  }
  // Learn what the killed run did manage to change (and what else changed since), reaching the
  // cluster with today's credentials (the program declares the provider).
  await stack.refresh({ runProgram: true });
  return { droppedPendingOperations: pending.map((op) => `${op.type ?? "?"} ${op.resource?.urn?.split("::").pop() ?? "?"}`) };
}
