// Up and destroy of one stack, with progress reporting and recovery from a killed run.

import {
  type EngineEvent,
  type OpMap,
  type PulumiFn,
  type Stack,
  StackNotFoundError,
  type SummaryEvent,
  type UpdateSummary,
  type UpOptions,
  type UpResult,
} from "@pulumi/pulumi/automation/index.js";
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

/**
 * The SDK's `up` runs two more CLI processes after the update: `stack output --show-secrets` and
 * `stack history`, each opening the backend, reading the whole state and deriving the passphrase
 * key again, only to return outputs and a summary. The engine already reports the summary in its
 * event stream, and the controller uses neither the outputs nor anything else of the history, so
 * an update reads its summary from the events: one CLI run per update instead of three.
 * ZHENGYUN_PULUMI_SUMMARY=cli keeps the SDK's own reads (for comparison).
 */
export function leanUp(stack: Stack, opts: UpOptions): Promise<UpResult> {
  if (process.env.ZHENGYUN_PULUMI_SUMMARY === "cli") return stack.up(opts);
  let summary: SummaryEvent | undefined;
  const onEvent = (event: EngineEvent) => {
    if (event.summaryEvent) summary = event.summaryEvent;
    opts.onEvent?.(event);
  };
  // The same stack, reading outputs and summary from what this run reported. The lease on the
  // system guarantees no other operation on this stack meanwhile.
  const lean: Stack = Object.create(stack);
  lean.outputs = async () => ({});
  lean.info = async () =>
    ({
      kind: "update",
      startTime: new Date(),
      endTime: new Date(),
      message: "",
      environment: {},
      config: {},
      result: "succeeded",
      version: 0,
      resourceChanges: summary?.resourceChanges,
    }) satisfies UpdateSummary;
  return lean.up({ ...opts, onEvent });
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
        leanUp(stack, { program, onEvent, refresh: opts.refresh, ...(opts.refresh ? { runProgram: true } : {}), signal: opts.signal }),
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
