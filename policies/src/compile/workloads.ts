import type { NamedExpression, RuleWithOperations } from "../model/k8s.js";

/**
 * Everything that carries a pod spec, so a department learns at apply time
 * (Deployment, CronJob…) rather than when the controller's pods are refused.
 * Pods are matched too: they are what finally runs, whoever creates them.
 */
export const POD_SPEC_RULES: RuleWithOperations[] = [
  { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods", "pods/ephemeralcontainers"], scope: "Namespaced" },
  {
    apiGroups: ["apps"],
    apiVersions: ["v1"],
    operations: ["CREATE", "UPDATE"],
    resources: ["deployments", "replicasets", "statefulsets", "daemonsets"],
    scope: "Namespaced",
  },
  { apiGroups: ["batch"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["jobs", "cronjobs"], scope: "Namespaced" },
];

/**
 * CEL variables selecting the pod spec per kind, and its containers:
 * `containers` are the ones that take resources (regular + init),
 * `allContainers` adds ephemeral (debug) containers.
 */
export const POD_SPEC_VARIABLES: NamedExpression[] = [
  {
    name: "podSpec",
    expression:
      "request.kind.kind == 'Pod' ? object.spec : " +
      "(request.kind.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec)",
  },
  {
    name: "containers",
    expression: "variables.podSpec.containers + variables.podSpec.?initContainers.orValue([])",
  },
  {
    name: "allContainers",
    expression: "variables.containers + variables.podSpec.?ephemeralContainers.orValue([])",
  },
];

/**
 * Skip updates that leave the spec alone (labels, finalizers, owner references):
 * garbage collection and namespace deletion must never be blocked by a policy
 * that a pre-existing object no longer satisfies.
 */
export const SPEC_CHANGED: NamedExpression = {
  name: "spec-changed",
  expression: "request.operation != 'UPDATE' || object.spec != oldObject.spec",
};
