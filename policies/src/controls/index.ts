/** Every control of the catalog, in the order the catalog presents them. */
import type { Control } from "../model/control.js";
import { dedicatedNodes } from "./dedicated-nodes/control.js";
import { digestPinning } from "./digest-pinning/control.js";
import { networkDefaultDeny } from "./network-default-deny/control.js";
import { noHostAccess } from "./no-host-access/control.js";
import { noNodePortLb } from "./no-nodeport-lb/control.js";
import { nonRootReadonly } from "./non-root-readonly/control.js";
import { psa } from "./psa/control.js";
import { registryAllowlist } from "./registry-allowlist/control.js";
import { resourceLimits } from "./resource-limits/control.js";
import { storageClass } from "./storage-class/control.js";
import { zoneEgress } from "./zone-egress/control.js";

export const CONTROLS: readonly Control[] = [
  psa,
  networkDefaultDeny,
  zoneEgress,
  noNodePortLb,
  registryAllowlist,
  digestPinning,
  noHostAccess,
  resourceLimits,
  nonRootReadonly,
  storageClass,
  dedicatedNodes,
];
