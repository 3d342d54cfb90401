/**
 * The MLPS 2.0 (等级保护 2.0) control catalog: each control with its
 * definition (title, family, levels and parameters, mechanism, compiled
 * objects) and its good and bad fixtures. One folder per control under
 * `controls/<id>/`.
 */
import { dedicatedNodes } from "./controls/dedicated-nodes/control.js";
import { dedicatedNodesFixtures } from "./controls/dedicated-nodes/fixtures.js";
import { digestPinning } from "./controls/digest-pinning/control.js";
import { digestPinningFixtures } from "./controls/digest-pinning/fixtures.js";
import { CONTROLS } from "./controls/index.js";
import { networkDefaultDeny } from "./controls/network-default-deny/control.js";
import { networkDefaultDenyFixtures } from "./controls/network-default-deny/fixtures.js";
import { noHostAccess } from "./controls/no-host-access/control.js";
import { noHostAccessFixtures } from "./controls/no-host-access/fixtures.js";
import { noNodePortLb } from "./controls/no-nodeport-lb/control.js";
import { noNodePortLbFixtures } from "./controls/no-nodeport-lb/fixtures.js";
import { nonRootReadonly } from "./controls/non-root-readonly/control.js";
import { nonRootReadonlyFixtures } from "./controls/non-root-readonly/fixtures.js";
import { psa } from "./controls/psa/control.js";
import { psaFixtures } from "./controls/psa/fixtures.js";
import { registryAllowlist } from "./controls/registry-allowlist/control.js";
import { registryAllowlistFixtures } from "./controls/registry-allowlist/fixtures.js";
import { resourceLimits } from "./controls/resource-limits/control.js";
import { resourceLimitsFixtures } from "./controls/resource-limits/fixtures.js";
import { storageClass } from "./controls/storage-class/control.js";
import { storageClassFixtures } from "./controls/storage-class/fixtures.js";
import { zoneEgress } from "./controls/zone-egress/control.js";
import { zoneEgressFixtures } from "./controls/zone-egress/fixtures.js";
import type { Control, ControlId } from "./model/control.js";
import type { ControlFixtures } from "./model/fixture.js";

export interface CatalogEntry {
  control: Control;
  fixtures: ControlFixtures;
}

export const CATALOG: readonly CatalogEntry[] = [
  { control: psa, fixtures: psaFixtures },
  { control: networkDefaultDeny, fixtures: networkDefaultDenyFixtures },
  { control: zoneEgress, fixtures: zoneEgressFixtures },
  { control: noNodePortLb, fixtures: noNodePortLbFixtures },
  { control: registryAllowlist, fixtures: registryAllowlistFixtures },
  { control: digestPinning, fixtures: digestPinningFixtures },
  { control: noHostAccess, fixtures: noHostAccessFixtures },
  { control: resourceLimits, fixtures: resourceLimitsFixtures },
  { control: nonRootReadonly, fixtures: nonRootReadonlyFixtures },
  { control: storageClass, fixtures: storageClassFixtures },
  { control: dedicatedNodes, fixtures: dedicatedNodesFixtures },
];

if (CATALOG.length !== CONTROLS.length || CATALOG.some((entry, i) => entry.control !== CONTROLS[i])) {
  throw new Error("catalog and control list disagree");
}

export { CONTROLS };

export function controlById(id: ControlId): Control {
  const control = CONTROLS.find((c) => c.id === id);
  if (!control) throw new Error(`unknown control ${id}`);
  return control;
}
