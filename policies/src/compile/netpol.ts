import type { ControlId } from "../model/control.js";
import type { NetworkPolicyObject, NetworkPolicySpec } from "../model/k8s.js";
import { meta } from "./meta.js";

/** A NetworkPolicy owned by a control. */
export function networkPolicy(name: string, namespace: string, owner: ControlId, spec: NetworkPolicySpec): NetworkPolicyObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: meta(name, owner, namespace),
    spec,
  };
}
