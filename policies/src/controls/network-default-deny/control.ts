import { networkPolicy } from "../../compile/netpol.js";
import { defineControl } from "../../model/control.js";
import type { Level } from "../../model/level.js";

export interface DefaultDenyParams {
  /** Pods of the same system (namespace) may talk to each other. */
  allowWithinSystem: boolean;
}

export const DEFAULT_DENY_PARAMS: Record<Level, DefaultDenyParams> = {
  1: { allowWithinSystem: true },
  2: { allowWithinSystem: true },
  3: { allowWithinSystem: true },
  4: { allowWithinSystem: true },
};

export const DEFAULT_DENY_POLICY = "zhengyun-default-deny";
export const WITHIN_SYSTEM_POLICY = "zhengyun-allow-within-system";

/**
 * Every pod of the system is isolated for ingress and egress; what is allowed
 * is added by other, explicit policies (within the system, DNS, the unified
 * egress, granted flows). Not exemptible: exceptions are granted flows.
 */
export const networkDefaultDeny = defineControl<DefaultDenyParams>({
  id: "network-default-deny",
  order: 20,
  title: { zh: "网络默认拒绝", en: "Default-deny network policy" },
  family: "area-boundary",
  requirement: {
    zh: "访问控制：区域边界默认拒绝所有通信，仅允许经批准的通信。",
    en: "Access control: at zone boundaries all traffic is denied by default; only approved traffic passes.",
  },
  mechanisms: ["network-policy"],
  exemptible: false,
  params: DEFAULT_DENY_PARAMS,
  summarize: (p) =>
    p.allowWithinSystem
      ? { zh: "入站与出站默认拒绝；系统内部互通", en: "ingress and egress denied by default; traffic within the system allowed" }
      : { zh: "入站与出站默认拒绝", en: "ingress and egress denied by default" },
  tenant: (ctx, params) => {
    const objects = [
      networkPolicy(DEFAULT_DENY_POLICY, ctx.namespace, "network-default-deny", {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
      }),
    ];
    if (params.allowWithinSystem) {
      objects.push(
        networkPolicy(WITHIN_SYSTEM_POLICY, ctx.namespace, "network-default-deny", {
          podSelector: {},
          policyTypes: ["Ingress", "Egress"],
          ingress: [{ from: [{ podSelector: {} }] }],
          egress: [{ to: [{ podSelector: {} }] }],
        }),
      );
    }
    return { objects };
  },
});
