// Fixtures for the controller's integration tests: the real database (migrated, with the platform
// rows the workflow needs), the local control plane's kubeconfig, and controllers configured for
// quick tests. No part of the reconcile path is replaced.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as k8s from "@kubernetes/client-node";
import type { Database } from "@zhengyun/db/client";
import { allocations, reconcileRuns, resourceRequests, systemEvents } from "@zhengyun/db/schema";
import { eventually } from "@zhengyun/db/testkit";
import { asc, eq } from "drizzle-orm";
import { pino } from "pino";
import { type ControllerConfig, loadConfig } from "../config.js";
import { Controller } from "../controller.js";

export const TEST_PASSPHRASE = "zhengyun-controller-tests";

export { eventually, type IsolatedDatabase, isolatedDatabase } from "@zhengyun/db/testkit";

export function kubeconfigPath(): string {
  const path = process.env.KUBECONFIG;
  if (!path) throw new Error("KUBECONFIG is not set: run through vitest's cluster project");
  return path;
}

export function kubeClient() {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath());
  return {
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    networking: kc.makeApiClient(k8s.NetworkingV1Api),
    rbac: kc.makeApiClient(k8s.RbacAuthorizationV1Api),
    admission: kc.makeApiClient(k8s.AdmissionregistrationV1Api),
  };
}

/** A state directory removed after the file's tests. */
export async function stateDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "zhengyun-controller-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Settings for tests: Pulumi state in the postgres:// backend of the test database, quick timers. */
export function testConfig(databaseUrl: string, dir: string, overrides: Partial<ControllerConfig> = {}): ControllerConfig {
  const env = {
    DATABASE_URL: databaseUrl,
    KUBECONFIG: kubeconfigPath(),
    PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
    ZHENGYUN_CONTROLLER_STATE_DIR: dir,
  };
  return loadConfig(env, {
    concurrency: 2,
    leaseTtlMs: 15_000,
    resyncIntervalMs: 1_000,
    // Checks are asked for explicitly (requestCheck) so tests decide when they happen.
    checkIntervalMs: 3_600_000,
    backoffBaseMs: 500,
    backoffCapMs: 5_000,
    failRequestAfter: 3,
    port: 0,
    ...overrides,
  });
}

export function testLogger() {
  return pino({ level: process.env.ZHENGYUN_TEST_LOG ?? "silent" });
}

/** A controller running in this process. */
export async function startController(database: Database, config: ControllerConfig): Promise<Controller> {
  const controller = new Controller({ database, config, log: testLogger() });
  await controller.start();
  return controller;
}

export async function requestState(database: Database, requestId: string): Promise<string | undefined> {
  const [row] = await database.db
    .select({ state: resourceRequests.state, failure: resourceRequests.failureReason })
    .from(resourceRequests)
    .where(eq(resourceRequests.id, requestId));
  if (row?.state === "failed") throw new Error(`request failed: ${row.failure}`);
  return row?.state;
}

/** Waits until the controller reports the request active. */
export async function untilActive(database: Database, requestId: string, timeoutMs = 120_000): Promise<void> {
  let lastError: unknown;
  await eventually(
    `request ${requestId} to become active`,
    async () => {
      try {
        return (await requestState(database, requestId)) === "active" ? true : undefined;
      } catch (err) {
        lastError = err;
        throw err;
      }
    },
    timeoutMs,
  ).catch((err) => {
    throw lastError ?? err;
  });
}

export async function allocation(database: Database, systemId: string) {
  const [row] = await database.db.select().from(allocations).where(eq(allocations.systemId, systemId));
  return row;
}

export async function events(database: Database, systemId: string) {
  return database.db.select().from(systemEvents).where(eq(systemEvents.systemId, systemId)).orderBy(asc(systemEvents.id));
}

export async function runs(database: Database, systemId: string) {
  return database.db.select().from(reconcileRuns).where(eq(reconcileRuns.systemId, systemId)).orderBy(asc(reconcileRuns.id));
}

export function apiCode(err: unknown): number | undefined {
  return err instanceof k8s.ApiException ? err.code : (err as { code?: number }).code;
}

export function apiMessage(err: unknown): string {
  if (err instanceof k8s.ApiException) {
    try {
      return JSON.parse(String(err.body)).message ?? String(err.body);
    } catch {
      return String(err.body);
    }
  }
  return String(err);
}

export async function namespaceGone(core: k8s.CoreV1Api, name: string): Promise<true | undefined> {
  try {
    await core.readNamespace({ name });
    return undefined;
  } catch (err) {
    if (apiCode(err) === 404) return true;
    throw err;
  }
}
