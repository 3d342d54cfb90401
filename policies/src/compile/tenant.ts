import { CONTROLS } from "../controls/index.js";
import type { ControlId, TenantContext } from "../model/control.js";
import { PolicyInputError } from "../model/errors.js";
import { epochSeconds, exemptionsByControl, nextExemptionExpiry } from "../model/exemption.js";
import type { KubeObject, NamespaceObject } from "../model/k8s.js";
import { DEPARTMENT_LABEL, exemptionLabel, LEVEL_LABEL, SYSTEM_LABEL, ZONE_LABEL } from "../model/labels.js";
import { type Exemption, type ParsedTenantInput, type TenantInput, tenantInputSchema } from "../model/tenant.js";
import { meta, withHashes } from "./meta.js";
import { assertUnique, inApplyOrder } from "./order.js";

export const EXEMPTIONS_ANNOTATION = "zhengyun.gov.cn/exemptions";

export interface CompiledTenant {
  /** The system's namespace. */
  namespace: string;
  /** The Namespace first, then its namespaced objects, in apply order. */
  objects: KubeObject[];
  /** When the controller must compile again because an exemption lapses (undefined: no pending expiry). */
  requeueAt: Date | undefined;
  /** Exemptions that took effect (active, and for a control that applies at the system's level). */
  exemptions: Exemption[];
}

function effectiveExemptions(input: ParsedTenantInput): Map<ControlId, Exemption> {
  const active = exemptionsByControl(input.exemptions, input.now);
  for (const id of [...active.keys()]) {
    const control = CONTROLS.find((c) => c.id === id);
    if (control && !control.exemptible) {
      throw new PolicyInputError("not-exemptible", `${id} cannot be exempted; network exceptions are granted as flows`);
    }
    // An exemption for a control that no longer applies (the system changed level) has nothing to relax.
    if (!control?.appliesAt(input.level)) active.delete(id);
  }
  return active;
}

function namespaceObject(input: ParsedTenantInput, name: string, exemptions: Map<ControlId, Exemption>, labels: Record<string, string>): NamespaceObject {
  const metadata = meta(name, "platform", undefined, {
    ...labels,
    [LEVEL_LABEL]: String(input.level),
    [ZONE_LABEL]: input.zone,
    [DEPARTMENT_LABEL]: input.department,
    [SYSTEM_LABEL]: input.system,
  });
  for (const [id, exemption] of exemptions) {
    (metadata.labels as Record<string, string>)[exemptionLabel(id)] = String(epochSeconds(exemption.expiresAt));
  }
  if (exemptions.size > 0) {
    const summary = [...exemptions.values()]
      .sort((a, b) => a.control.localeCompare(b.control))
      .map((e) => ({ control: e.control, expiresAt: e.expiresAt.toISOString(), grantedBy: e.grantedBy, reason: e.reason }));
    metadata.annotations = { ...metadata.annotations, [EXEMPTIONS_ANNOTATION]: JSON.stringify(summary) };
  }
  return { apiVersion: "v1", kind: "Namespace", metadata };
}

/**
 * The namespace of one information system and everything enforced inside it:
 * level/zone/department/system and Pod Security labels, exemption labels for
 * active exemptions (expired ones are left out, given `now`), NetworkPolicies,
 * ResourceQuotas and the LimitRange. Cluster-wide admission policies come from
 * `compileBaseline()`; their bindings select this namespace by its labels.
 *
 * Pure: the same input always gives the same objects. Throws
 * `PolicyInputError` for input that cannot be made policy (an unapproved
 * cross-boundary flow, an exemption of a non-exemptible control…).
 */
export function compileTenant(input: TenantInput): CompiledTenant {
  const parsed = tenantInputSchema.parse(input);
  const namespace = parsed.namespace ?? parsed.system;
  const exemptions = effectiveExemptions(parsed);
  const ctx: TenantContext = {
    system: parsed.system,
    department: parsed.department,
    namespace,
    level: parsed.level,
    zone: parsed.zone,
    quota: parsed.quota,
    flows: parsed.flows,
    egressAllowList: parsed.egressAllowList,
    exempt: new Set(exemptions.keys()),
  };
  const contributions = CONTROLS.map((control) => control.compileTenant(ctx));
  const labels = Object.assign({}, ...contributions.map((c) => c.labels ?? {})) as Record<string, string>;
  const objects = [namespaceObject(parsed, namespace, exemptions, labels), ...contributions.flatMap((c) => c.objects ?? [])];
  assertUnique(objects);
  return {
    namespace,
    objects: withHashes(inApplyOrder(objects)),
    requeueAt: nextExemptionExpiry([...exemptions.values()], parsed.now),
    exemptions: [...exemptions.values()],
  };
}
