// Controller settings, from the environment. Every duration is in milliseconds.

import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";

export interface ControllerConfig {
  /** PostgreSQL URL (the portal's database). */
  databaseUrl: string;
  /** Kubeconfig contents; undefined means in-cluster credentials. */
  kubeconfig: string | undefined;
  /** Work directories of the Pulumi workspaces (and the file backend, when used). */
  stateDir: string;
  pulumiBackendUrl: string;
  pulumiPassphrase: string;
  /** This replica's name in leases and run records. */
  owner: string;
  /** Systems reconciled at once by this replica. */
  concurrency: number;
  leaseTtlMs: number;
  /** Periodic pass over all allocations, in case a notification was missed. */
  resyncIntervalMs: number;
  /** How often each system's cluster objects are compared with its desired state (drift, usage). */
  checkIntervalMs: number;
  /** How long one read of a cluster-wide object serves the evidence reports of every system. */
  evidenceSharedTtlMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Failed attempts after which the provisioning request is reported failed (retries go on). */
  failRequestAfter: number;
  /** HTTP port for /healthz and /metrics (0: any free port). */
  port: number;
  /** Name of the cluster (one baseline per cluster). */
  cluster: string;
  /** Provisioner behind the standard, ssd and encrypted storage classes. */
  storageProvisioner: string;
  /**
   * Service account the controller runs as, bound to its ClusterRole by the baseline; undefined
   * when the deployment owns the controller's RBAC (ZHENGYUN_MANAGE_CONTROLLER_RBAC=false, as the
   * Helm chart sets: the controller may not grant itself permissions).
   */
  serviceAccount: { namespace: string; name: string } | undefined;
  /**
   * The user the controller acts as on the cluster, which the tenant guard lets change isolation
   * objects ($ZHENGYUN_CONTROLLER_USER; else the service account's user name). Cluster
   * administrators (system:masters) are let through whatever it is.
   */
  controllerUser: string | undefined;
  /** The tenant ClusterRole systems bind, and its `-exec` one ($ZHENGYUN_TENANT_ROLE; `zhengyun-tenant`, the baseline's). */
  tenantRole: string;
}

type Env = Record<string, string | undefined>;

function ms(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number of milliseconds, got ${raw}`);
  return value;
}

/** A whole number at least `min` from the environment; a typo stops the start with a clear message. */
function whole(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

/** Pulumi state: $PULUMI_BACKEND_URL, else the `postgres://` backend in the same database, else files under the state dir. */
export function pulumiBackendUrl(env: Env, databaseUrl: string | undefined, stateDir: string): string {
  if (env.PULUMI_BACKEND_URL) return env.PULUMI_BACKEND_URL;
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    const url = new URL(databaseUrl.replace(/^postgresql:/, "postgres:"));
    if (!url.searchParams.has("table")) url.searchParams.set("table", "pulumi_state");
    return url.toString();
  }
  const dir = join(stateDir, "pulumi-state");
  mkdirSync(dir, { recursive: true });
  return `file://${dir}`;
}

/**
 * The secrets passphrase: $PULUMI_CONFIG_PASSPHRASE; for a file backend a random one kept beside the
 * state (replicas sharing a database backend must share the passphrase, so it has to be given).
 */
export function pulumiPassphrase(env: Env, backendUrl: string, stateDir: string): string {
  if (env.PULUMI_CONFIG_PASSPHRASE) return env.PULUMI_CONFIG_PASSPHRASE;
  if (!backendUrl.startsWith("file://")) throw new Error("PULUMI_CONFIG_PASSPHRASE is required with a shared Pulumi backend");
  const file = join(stateDir, "pulumi-passphrase");
  if (!existsSync(file)) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, randomBytes(24).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

/** A stable name for the cluster a kubeconfig points at, when none is configured (it names the baseline's stack). */
export function clusterName(kubeconfig: string | undefined): string {
  if (kubeconfig === undefined) return "in-cluster";
  return `cluster-${createHash("sha256").update(kubeconfig).digest("hex").slice(0, 12)}`;
}

export function loadConfig(env: Env = process.env, overrides: Partial<ControllerConfig> = {}): ControllerConfig {
  const databaseUrl = overrides.databaseUrl ?? env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is required: the controller works from the portal's PostgreSQL database");
  const stateDir = resolve(overrides.stateDir ?? env.ZHENGYUN_CONTROLLER_STATE_DIR ?? ".data/controller");
  const backend = overrides.pulumiBackendUrl ?? pulumiBackendUrl(env, databaseUrl, stateDir);
  const kubeconfigPath = env.KUBECONFIG;
  const kubeconfig = kubeconfigPath ? readFileSync(kubeconfigPath, "utf8") : undefined;
  const config: ControllerConfig = {
    databaseUrl,
    kubeconfig,
    stateDir,
    pulumiBackendUrl: backend,
    pulumiPassphrase: overrides.pulumiPassphrase ?? pulumiPassphrase(env, backend, stateDir),
    owner: env.ZHENGYUN_CONTROLLER_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`,
    concurrency: whole(env, "ZHENGYUN_CONTROLLER_CONCURRENCY", 2, 1, 256),
    leaseTtlMs: ms(env, "ZHENGYUN_LEASE_TTL_MS", 60_000),
    resyncIntervalMs: ms(env, "ZHENGYUN_RESYNC_INTERVAL_MS", 30_000),
    checkIntervalMs: ms(env, "ZHENGYUN_CHECK_INTERVAL_MS", 5 * 60_000),
    evidenceSharedTtlMs: ms(env, "ZHENGYUN_EVIDENCE_SHARED_TTL_MS", 30_000),
    backoffBaseMs: ms(env, "ZHENGYUN_BACKOFF_BASE_MS", 5_000),
    backoffCapMs: ms(env, "ZHENGYUN_BACKOFF_CAP_MS", 10 * 60_000),
    failRequestAfter: whole(env, "ZHENGYUN_FAIL_REQUEST_AFTER", 5, 1),
    port: whole(env, "ZHENGYUN_CONTROLLER_PORT", 9464, 0, 65535),
    cluster: env.ZHENGYUN_CLUSTER_NAME ?? clusterName(kubeconfig),
    storageProvisioner: env.ZHENGYUN_STORAGE_PROVISIONER ?? "kubernetes.io/no-provisioner",
    serviceAccount:
      env.ZHENGYUN_MANAGE_CONTROLLER_RBAC === "false"
        ? undefined
        : {
            namespace: env.ZHENGYUN_CONTROLLER_NAMESPACE ?? "zhengyun-system",
            name: env.ZHENGYUN_CONTROLLER_SERVICE_ACCOUNT ?? "zhengyun-controller",
          },
    controllerUser: undefined,
    tenantRole: env.ZHENGYUN_TENANT_ROLE || "zhengyun-tenant",
  };
  const account = config.serviceAccount;
  config.controllerUser = env.ZHENGYUN_CONTROLLER_USER || (account ? `system:serviceaccount:${account.namespace}:${account.name}` : undefined);
  return { ...config, ...overrides };
}
