// Up and destroy of one stack, with progress reporting and recovery from a killed run.

import { type EngineEvent, type OpMap, type PulumiFn, type Stack, StackNotFoundError } from "@pulumi/pulumi/automation/index.js";
import { isLockedError, type Recovery, recoverStack } from "./recover.js";
import { forgetStack, openStack, type PulumiHost } from "./workspace.js";

export interface Progress {
  /** Resources finished so far in this run, and how many the run touches. */
  done: number;
  total: number;
  /** The last resource finished (`Kind name`). */
  last?: string;
}

export interface RunOptions {
  /** The previous run on this stack was killed: repair the stack first. */
  recover?: boolean;
  /**
   * Refresh from the cluster before updating (drift healing). The program runs first, so the
   * refresh reads with the credentials and address the controller has now, not the ones recorded
   * when the stack was last updated (a cluster whose address or certificates changed).
   */
  refresh?: boolean;
  /** Resources expected in the run (the denominator of progress). */
  expected?: number;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

export interface RunResult {
  changes: Record<string, number>;
  recovery?: Recovery;
  durationMs: number;
}

function progressTracker(expected: number, onProgress: RunOptions["onProgress"]) {
  let done = 0;
  return (event: EngineEvent) => {
    const outputs = event.resOutputsEvent;
    if (!outputs || outputs.planning || !onProgress) return;
    const urn = outputs.metadata.urn;
    const type = outputs.metadata.type;
    if (!type.startsWith("kubernetes:") || type.startsWith("pulumi:providers")) return;
    done += 1;
    onProgress({ done, total: Math.max(expected, done), last: `${type.split(":").pop()} ${urn.split("::").pop()?.split("/").pop()}` });
  };
}

function changesOf(map: OpMap | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([, n]) => typeof n === "number" && n > 0)) as Record<string, number>;
}

/** The engine could not reach the cluster at the address its state recorded. */
function unreachable(err: unknown): boolean {
  return /configured Kubernetes cluster is unreachable/.test(String((err as Error)?.message ?? err));
}

/**
 * Runs `op`; when it fails because objects must be deleted through a provider whose recorded
 * cluster no longer answers (the originals of a replacement after the cluster's identity changed,
 * or a release), runs it again with those objects dropped from the state instead. What they were
 * in is gone, or is removed by the caller with today's credentials (a release's namespace).
 */
async function droppingUnreachable<T>(stack: Stack, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (!unreachable(err)) throw err;
    stack.workspace.envVars.PULUMI_K8S_DELETE_UNREACHABLE = "true";
    try {
      return await op();
    } finally {
      delete stack.workspace.envVars.PULUMI_K8S_DELETE_UNREACHABLE;
    }
  }
}

/** Runs `op`, repairing the stack first when asked or when the engine finds it locked. */
async function withRecovery<T>(stack: Stack, recover: boolean | undefined, op: () => Promise<T>): Promise<{ value: T; recovery?: Recovery }> {
  let recovery: Recovery | undefined;
  if (recover) recovery = await recoverStack(stack);
  try {
    return { value: await op(), recovery };
  } catch (err) {
    if (recovery || !isLockedError(err)) throw err;
    recovery = await recoverStack(stack);
    return { value: await op(), recovery };
  }
}

export async function upStack(host: PulumiHost, project: string, stackName: string, program: PulumiFn, opts: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const run = async () => {
    const stack = await openStack(host, project, stackName, program);
    const onEvent = progressTracker(opts.expected ?? 0, opts.onProgress);
    return withRecovery(stack, opts.recover, () =>
      droppingUnreachable(stack, () =>
        stack.up({ program, onEvent, refresh: opts.refresh, ...(opts.refresh ? { runProgram: true } : {}), signal: opts.signal }),
      ),
    );
  };
  let outcome: Awaited<ReturnType<typeof run>>;
  try {
    outcome = await run();
  } catch (err) {
    // The stack this process had opened was removed meanwhile (released by another replica):
    // open it anew, which creates it, and try once more.
    if (!(err instanceof StackNotFoundError)) throw err;
    forgetStack(host, project, stackName);
    outcome = await run();
  }
  const { value, recovery } = outcome;
  return { changes: changesOf(value.summary.resourceChanges), recovery, durationMs: Date.now() - started };
}

/**
 * Destroys everything the stack holds and removes the stack. `program` declares the provider only,
 * run first so the engine has today's credentials for the cluster. Objects it can only reach through
 * an address that no longer answers are dropped from the state; the caller removes what is left
 * (the namespace) itself.
 */
export async function destroyStack(host: PulumiHost, project: string, stackName: string, program: PulumiFn, opts: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const stack = await openStack(host, project, stackName, program);
  const onEvent = progressTracker(opts.expected ?? 0, opts.onProgress);
  const { value, recovery } = await withRecovery(stack, opts.recover, () =>
    droppingUnreachable(stack, () => stack.destroy({ onEvent, refresh: opts.refresh, runProgram: true, signal: opts.signal })),
  );
  await stack.workspace.removeStack(stack.name);
  // The stack no longer exists in the backend: a later update of the same name must create it anew.
  forgetStack(host, project, stackName);
  return { changes: changesOf(value.summary.resourceChanges), recovery, durationMs: Date.now() - started };
}
