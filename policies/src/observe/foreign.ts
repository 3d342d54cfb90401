// Objects in a system's namespace that the platform did not create and that can weaken a control:
// any NetworkPolicy (they only ever add allowed traffic), a Service on a node port or load balancer
// where the level denies them (or with externalIPs), an Ingress, a RoleBinding. Drift reports and
// heals them; evidence counts them against the controls they weaken. Pure.

import { NO_NODEPORT_PARAMS } from "../controls/no-nodeport-lb/control.js";
import type { Bilingual, ControlId } from "../model/control.js";
import type { KubeObject, ObjectRef } from "../model/k8s.js";
import { MANAGED_BY, MANAGED_BY_LABEL } from "../model/labels.js";
import type { Level } from "../model/level.js";
import type { Finding } from "./diff.js";

/** Who labels objects as the platform's: the policy catalog and the controller. */
export const PLATFORM_MANAGERS: readonly string[] = [MANAGED_BY, "zhengyun-controller"];

/** The kinds read from a system's namespace to look for foreign objects. */
export const WIDENING_KINDS: ReadonlyArray<{ apiVersion: string; kind: string }> = [
  { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" },
  { apiVersion: "v1", kind: "Service" },
  { apiVersion: "networking.k8s.io/v1", kind: "Ingress" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding" },
];

export interface ForeignObject extends ObjectRef {
  /** How it weakens the control. */
  why: Bilingual;
}

export function isPlatformObject(object: Pick<KubeObject, "metadata">): boolean {
  return PLATFORM_MANAGERS.includes(object.metadata.labels?.[MANAGED_BY_LABEL] ?? "");
}

const ISOLATION: readonly ControlId[] = ["network-default-deny", "zone-egress"];

/** The controls a live object weakens at `level` (empty: none, or it is the platform's own). */
export function weakens(object: KubeObject, level: Level): { controls: readonly ControlId[]; why: Bilingual } | undefined {
  if (isPlatformObject(object)) return undefined;
  const spec = (object.spec ?? {}) as { type?: string; externalIPs?: string[] };
  switch (object.kind) {
    case "NetworkPolicy":
      return {
        controls: ISOLATION,
        why: {
          zh: "非平台创建的网络策略，在平台策略之外放行流量",
          en: "a NetworkPolicy not created by the platform: it allows traffic beside the platform's policies",
        },
      };
    case "Service": {
      if ((spec.externalIPs ?? []).length > 0) {
        return { controls: ["no-nodeport-lb"], why: { zh: "服务声明了 externalIPs", en: "a Service claiming externalIPs" } };
      }
      const exposed = spec.type === "NodePort" || spec.type === "LoadBalancer";
      if (exposed && NO_NODEPORT_PARAMS[level].services === "deny") {
        return {
          controls: ["no-nodeport-lb"],
          why: { zh: `本级别禁止的 ${spec.type} 服务`, en: `a ${spec.type} Service, which this level forbids` },
        };
      }
      return undefined;
    }
    case "Ingress":
      return {
        controls: ["no-nodeport-lb", "zone-egress"],
        why: {
          zh: "非平台签发的 Ingress，绕过受控边界接口暴露服务",
          en: "an Ingress not issued by the platform: it exposes services past the controlled boundary",
        },
      };
    case "RoleBinding":
      return {
        controls: ISOLATION,
        why: { zh: "非平台创建的角色绑定，在平台授权之外授予权限", en: "a RoleBinding not created by the platform: it grants access beside the platform's" },
      };
    default:
      return undefined;
  }
}

interface Weakening {
  object: KubeObject;
  controls: readonly ControlId[];
  why: Bilingual;
}

/** The objects among `live` in `namespace` that weaken some control at `level`, not counting exempted controls. */
function weakenings(namespace: string, level: Level, live: readonly KubeObject[], exempt: ReadonlySet<string>): Weakening[] {
  const out: Weakening[] = [];
  for (const object of live) {
    if (object.metadata.namespace !== namespace) continue;
    const found = weakens(object, level);
    const controls = found?.controls.filter((c) => !exempt.has(c)) ?? [];
    if (found && controls.length > 0) out.push({ object, controls, why: found.why });
  }
  return out.sort((a, b) => `${a.object.kind}/${a.object.metadata.name}`.localeCompare(`${b.object.kind}/${b.object.metadata.name}`));
}

/** The foreign objects among `live` in `namespace` that weaken `control` at `level`. */
export function foreignObjectsFor(control: ControlId, namespace: string, level: Level, live: readonly KubeObject[]): ForeignObject[] {
  return weakenings(namespace, level, live, new Set())
    .filter((w) => w.controls.includes(control))
    .map(({ object, why }) => ({ apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace, why }));
}

/**
 * One finding per foreign object in `namespace`; `fields` names the controls it weakens. What an
 * exempted control would refuse is allowed while the exemption lasts, so it weakens nothing.
 */
export function foreignFindings(namespace: string, level: Level, live: readonly KubeObject[], exempt: ReadonlySet<string> = new Set()): Finding[] {
  return weakenings(namespace, level, live, exempt).map(({ object, controls }) => ({
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    namespace,
    change: "foreign",
    fields: [...controls],
  }));
}
