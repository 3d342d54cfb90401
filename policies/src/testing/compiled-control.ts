import { compileTenant } from "../compile/tenant.js";
import type { Control, ControlId } from "../model/control.js";
import type { ConfigMapObject, KubeObject, ValidatingAdmissionPolicyBindingObject, ValidatingAdmissionPolicyObject } from "../model/k8s.js";
import { LEVEL_LABEL } from "../model/labels.js";
import type { Level, Zone } from "../model/level.js";
import type { TenantInput } from "../model/tenant.js";
import { TEST_NOW } from "./compiled-world.js";

export interface CompiledControl {
  policy: ValidatingAdmissionPolicyObject | undefined;
  bindingLevels: Level[];
  /** Parameter ConfigMap data per level. */
  params: Map<Level, Record<string, string>>;
}

export function compiledControl(control: Control): CompiledControl {
  const objects = control.compileCluster();
  const policy = objects.find((o): o is ValidatingAdmissionPolicyObject => o.kind === "ValidatingAdmissionPolicy");
  const bindings = objects.filter((o): o is ValidatingAdmissionPolicyBindingObject => o.kind === "ValidatingAdmissionPolicyBinding");
  const params = new Map<Level, Record<string, string>>();
  for (const o of objects.filter((x): x is ConfigMapObject => x.kind === "ConfigMap")) params.set(Number(o.metadata.labels?.[LEVEL_LABEL]) as Level, o.data);
  return { policy, bindingLevels: bindings.map((b) => Number(b.metadata.labels?.[LEVEL_LABEL]) as Level), params };
}

/** The namespaced objects a system gets, optionally with active exemptions. */
export function tenantObjects(level: Level, options: { zone?: Zone; exempt?: ControlId[]; quota?: TenantInput["quota"] } = {}): KubeObject[] {
  return compileTenant({
    system: "sys",
    department: "dept",
    level,
    zone: options.zone ?? "external",
    quota: options.quota ?? { cpu: "4", memory: "8Gi", storage: { standard: "10Gi", ssd: "20Gi", encrypted: "30Gi" }, nodePorts: 2, loadBalancers: 1 },
    now: TEST_NOW,
    exemptions: (options.exempt ?? []).map((control) => ({
      control,
      expiresAt: new Date(TEST_NOW.getTime() + 3_600_000),
      grantedBy: "officer",
      reason: "test",
    })),
  }).objects;
}

export function find<T extends KubeObject = KubeObject>(objects: readonly KubeObject[], kind: string, name: string): T | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name) as T | undefined;
}
