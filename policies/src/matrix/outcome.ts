import { apiErrorCode, apiErrorMessage, type Kube } from "../kube/client.js";
import type { Control } from "../model/control.js";
import type { AdmissionFixture } from "../model/fixture.js";
import type { KubeObject } from "../model/k8s.js";
import type { Level } from "../model/level.js";

/** What the API server said about one fixture in one namespace. */
export interface Outcome {
  fixture: string;
  kind: string;
  namespace: string;
  admitted: boolean;
  /** The refusal message (empty when admitted). */
  message: string;
  /** Warnings the API server sent with an admission. */
  warnings: string[];
}

export function inNamespace(object: KubeObject, namespace: string): KubeObject {
  const copy = structuredClone(object);
  copy.metadata = { ...copy.metadata, namespace };
  return copy;
}

/** Server-side dry-run create: every admission stage runs, nothing is stored. */
export async function tryCreate(kube: Kube, fixture: AdmissionFixture, namespace: string): Promise<Outcome> {
  const base = { fixture: fixture.name, kind: fixture.object.kind, namespace };
  try {
    const { warnings } = await kube.dryRunCreateWithWarnings(inNamespace(fixture.object, namespace));
    return { ...base, admitted: true, message: "", warnings };
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === undefined || code >= 500) throw error;
    return { ...base, admitted: false, message: apiErrorMessage(error), warnings: [] };
  }
}

/** Whether a refusal message names `control` (or, when given, one of `others`) as its cause. */
export function attributed(message: string, level: Level, control: Control, fixture: AdmissionFixture, others: readonly Control[] = []): boolean {
  if (fixture.refusal !== undefined && message.includes(fixture.refusal)) return true;
  if (fixture.refusal === undefined && control.refusals(level).some((r) => message.includes(r))) return true;
  return others.some((other) => other.refusals(level).some((r) => message.includes(r)));
}
