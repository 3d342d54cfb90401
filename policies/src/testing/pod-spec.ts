import type { V1PodSpec } from "@kubernetes/client-node";
import type { KubeObject } from "../model/k8s.js";

/** The pod spec a fixture carries, wherever its kind keeps it. */
export function podSpecOf(object: KubeObject): V1PodSpec {
  const spec = object.spec as { template?: { spec: V1PodSpec }; jobTemplate?: { spec: { template: { spec: V1PodSpec } } } } & V1PodSpec;
  if (object.kind === "Pod") return spec;
  if (object.kind === "CronJob" && spec.jobTemplate) return spec.jobTemplate.spec.template.spec;
  if (spec.template) return spec.template.spec;
  throw new Error(`${object.kind} carries no pod spec`);
}

export function imagesOf(object: KubeObject): string[] {
  const pod = podSpecOf(object);
  return [...pod.containers, ...(pod.initContainers ?? [])].map((c) => c.image ?? "");
}
