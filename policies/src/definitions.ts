/**
 * The catalog as readers present it: each control's titles, family, mechanisms, exemptibility
 * and per-level parameters and summaries; and the printable page of a stored evidence report.
 * Nothing here compiles objects against a cluster client or carries fixtures, so a process that
 * only shows the catalog (the portal) stays light. The main entry re-exports all of it.
 */

export { CONTROLS } from "./controls/index.js";
export { internetEgress, type ZoneEgressParams } from "./controls/zone-egress/control.js";
export { escapeHtml, renderEvidenceHtml } from "./evidence/html.js";
export type { EvidenceReport } from "./evidence/report.js";
export {
  type Bilingual,
  CONTROL_IDS,
  type Control,
  type ControlId,
  FAMILIES,
  type FamilyId,
  isControlId,
  MECHANISMS,
  type Mechanism,
} from "./model/control.js";
export { type KubeObject, objectKey, refOf } from "./model/k8s.js";
export { isLevel, LEVELS, type Level, type Zone } from "./model/level.js";
