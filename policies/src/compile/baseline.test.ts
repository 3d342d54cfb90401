import { describe, expect, it } from "vitest";
import { CONTROLS } from "../controls/index.js";
import type { ValidatingAdmissionPolicyBindingObject, ValidatingAdmissionPolicyObject } from "../model/k8s.js";
import { CONTROL_ANNOTATION, EGRESS_NAMESPACE, exemptionLabel, HASH_ANNOTATION, LEVEL_LABEL, ROLE_LABEL, SYSTEM_NAMESPACE } from "../model/labels.js";
import { compileBaseline } from "./baseline.js";
import { contentHash } from "./hash.js";
import { bindingName, paramsName, policyName, refusalTag } from "./vap.js";

const baseline = compileBaseline();
const policies = baseline.filter((o): o is ValidatingAdmissionPolicyObject => o.kind === "ValidatingAdmissionPolicy");
const bindings = baseline.filter((o): o is ValidatingAdmissionPolicyBindingObject => o.kind === "ValidatingAdmissionPolicyBinding");

describe("compileBaseline", () => {
  it("is deterministic", () => {
    expect(compileBaseline()).toEqual(baseline);
  });

  it("creates the parameter namespace and the labelled unified egress namespace first", () => {
    expect(
      baseline
        .slice(0, 2)
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual([EGRESS_NAMESPACE, SYSTEM_NAMESPACE].sort());
    const egress = baseline.find((o) => o.kind === "Namespace" && o.metadata.name === EGRESS_NAMESPACE);
    expect(egress?.metadata.labels?.[ROLE_LABEL]).toBe("egress-gateway");
  });

  it("has one policy per admission control and one binding per level it applies at", () => {
    const admission = CONTROLS.filter((c) => c.mechanisms.includes("validating-admission-policy"));
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(admission.map((c) => policyName(c.id)).sort());
    for (const control of admission) {
      const names = bindings.filter((b) => b.spec.policyName === policyName(control.id)).map((b) => b.metadata.name);
      expect(names.sort()).toEqual(control.levels.map((l) => bindingName(control.id, l)).sort());
    }
  });

  it("binds each level by the level label, skips exempted namespaces, and denies", () => {
    for (const binding of bindings) {
      const level = binding.metadata.labels?.[LEVEL_LABEL];
      const control = binding.metadata.annotations?.[CONTROL_ANNOTATION] ?? "";
      expect(binding.spec.validationActions).toEqual(["Deny"]);
      expect(binding.spec.matchResources.namespaceSelector.matchExpressions).toEqual([
        { key: LEVEL_LABEL, operator: "In", values: [level] },
        { key: exemptionLabel(control), operator: "DoesNotExist" },
      ]);
    }
  });

  it("points every parameterised binding at an existing ConfigMap of its level", () => {
    for (const binding of bindings.filter((b) => b.spec.paramRef)) {
      const ref = binding.spec.paramRef;
      const configMap = baseline.find((o) => o.kind === "ConfigMap" && o.metadata.name === ref?.name && o.metadata.namespace === ref?.namespace);
      expect(configMap, binding.metadata.name).toBeDefined();
      expect(configMap?.metadata.labels?.[LEVEL_LABEL]).toBe(binding.metadata.labels?.[LEVEL_LABEL]);
      expect(ref?.parameterNotFoundAction).toBe("Deny");
      const control = binding.metadata.annotations?.[CONTROL_ANNOTATION] as Parameters<typeof paramsName>[0];
      expect(ref?.name).toBe(paramsName(control, Number(binding.metadata.labels?.[LEVEL_LABEL]) as 1 | 2 | 3 | 4));
    }
  });

  it("fails closed and names the control in every message", () => {
    for (const policy of policies) {
      const id = policy.metadata.annotations?.[CONTROL_ANNOTATION] as Parameters<typeof refusalTag>[0];
      expect(policy.spec.failurePolicy).toBe("Fail");
      // Pod Security's template policies answer in Pod Security's own words, as the pod would get.
      if (id === "psa") {
        for (const validation of policy.spec.validations) expect(validation.messageExpression ?? validation.message).toContain("violates PodSecurity");
        continue;
      }
      for (const validation of policy.spec.validations) {
        expect(validation.message.startsWith(`${refusalTag(id)} `)).toBe(true);
        if (validation.messageExpression) expect(validation.messageExpression.startsWith(`'${refusalTag(id)} `)).toBe(true);
      }
    }
  });

  it("checks workload pod templates, not only pods", () => {
    for (const policy of policies.filter((p) => p.metadata.name !== policyName("no-nodeport-lb"))) {
      const resources = policy.spec.matchConstraints.resourceRules.flatMap((r) => r.resources);
      // Pods themselves are judged by Pod Security admission; its template policies take the rest.
      const psa = policy.metadata.annotations?.[CONTROL_ANNOTATION] === "psa";
      for (const r of [...(psa ? [] : ["pods"]), "deployments", "statefulsets", "daemonsets", "jobs", "cronjobs"]) expect(resources).toContain(r);
      const variables = (policy.spec.variables ?? []).map((v) => v.expression).join("\n");
      expect(variables).toContain("object.spec.jobTemplate.spec.template");
    }
  });

  it("stamps each object with its owner and the hash of its content", () => {
    for (const object of baseline) {
      expect(object.metadata.annotations?.[CONTROL_ANNOTATION]).toBeTruthy();
      expect(object.metadata.annotations?.[HASH_ANNOTATION]).toBe(contentHash(object));
    }
  });
});
