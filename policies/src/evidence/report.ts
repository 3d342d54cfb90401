import { compileBaseline } from "../compile/baseline.js";
import { contentHash } from "../compile/hash.js";
import { ownerOf } from "../compile/meta.js";
import { compileTenant } from "../compile/tenant.js";
import { CONTROLS } from "../controls/index.js";
import { internetEgress, ZONE_EGRESS_PARAMS } from "../controls/zone-egress/control.js";
import { type Bilingual, type ControlId, FAMILIES, MECHANISMS, type Mechanism } from "../model/control.js";
import { type KubeObject, type ObjectRef, objectKey, refOf } from "../model/k8s.js";
import { LEVEL_LABEL, PSA_PREFIX } from "../model/labels.js";
import type { Level, Zone } from "../model/level.js";
import { type TenantInput, tenantInputSchema } from "../model/tenant.js";
import { hashOf } from "../observe/canonical.js";
import { diff } from "../observe/diff.js";
import { type ForeignObject, foreignObjectsFor } from "../observe/foreign.js";

export type ObjectStatus = "present" | "missing" | "modified";
export type ControlStatus = "enforced" | "exempted" | "drifted";

export interface EvidenceObject extends ObjectRef {
  /** What of the object is compared: its spec/data, or only some of a namespace's labels. */
  aspect: string;
  expectedHash: string;
  liveHash: string | null;
  status: ObjectStatus;
}

export interface ControlEvidence {
  id: ControlId;
  title: Bilingual;
  family: Bilingual;
  requirement: Bilingual;
  parameters: Readonly<Record<string, unknown>>;
  summary: Bilingual;
  mechanisms: Array<{ id: Mechanism } & Bilingual>;
  exemption: { expiresAt: string; grantedBy: string; reason: string } | null;
  objects: EvidenceObject[];
  /**
   * Objects in the namespace the platform did not create that weaken the control (a NetworkPolicy
   * added beside the platform's, a NodePort Service where the level denies it…). Any makes it drifted.
   */
  foreign: ForeignObject[];
  status: ControlStatus;
}

export interface EvidenceReport {
  generatedAt: string;
  system: { system: string; department: string; namespace: string; level: Level; zone: Zone };
  /** The namespace's platform labels (level, zone, Pod Security, exemptions) that every binding selects on. */
  namespace: EvidenceObject;
  controls: ControlEvidence[];
  summary: { total: number; enforced: number; exempted: number; drifted: number };
}

/** What of an object is compared: all of it, or a part (the Pod Security labels of a namespace). */
interface Aspect {
  name: string;
  part: (object: KubeObject) => KubeObject;
  hash: (object: KubeObject) => string;
}

const WHOLE: Aspect = { name: "spec", part: (o) => o, hash: contentHash };

function psaLabels(object: KubeObject): KubeObject {
  const labels = Object.fromEntries(Object.entries(object.metadata.labels ?? {}).filter(([k]) => k.startsWith(`${PSA_PREFIX}/`)));
  return { apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata.name, labels } };
}
const PSA_LABELS: Aspect = { name: "pod-security labels", part: psaLabels, hash: (o) => hashOf(psaLabels(o).metadata.labels) };

/**
 * Whether the live object is as compiled, by the same comparison as drift (`diff`: quantities by
 * value, labels others add allowed); the hashes fingerprint the enforcing content of each side.
 */
function evidenceFor(expected: KubeObject, live: ReadonlyMap<string, KubeObject>, aspect: Aspect = WHOLE): EvidenceObject {
  const ref = refOf(expected);
  const found = live.get(objectKey(expected));
  const expectedHash = aspect.hash(expected);
  if (!found) return { ...ref, aspect: aspect.name, expectedHash, liveHash: null, status: "missing" };
  const status: ObjectStatus = diff(aspect.part(expected), aspect.part(found)).length === 0 ? "present" : "modified";
  return { ...ref, aspect: aspect.name, expectedHash, liveHash: aspect.hash(found), status };
}

/** Cluster-wide objects of a control that matter at a level: level-less ones, and the level's binding and parameters. */
function clusterObjectsFor(baseline: readonly KubeObject[], id: ControlId, level: Level): KubeObject[] {
  return baseline.filter((o) => {
    if (ownerOf(o) !== id) return false;
    const objectLevel = o.metadata.labels?.[LEVEL_LABEL];
    return objectLevel === undefined || objectLevel === String(level);
  });
}

/**
 * The compliance evidence of one information system: for each control of its
 * level, the mechanism, the objects that enforce it, and whether each is
 * present in the cluster and unmodified (the hash of its compiled enforcing
 * content against the hash of what was read live), and every object in the
 * namespace that the platform did not create and that weakens it. Pure: `live`
 * is what `readLiveObjects` returned (objects absent from it count as missing;
 * the namespace's NetworkPolicies, Services, Ingresses and RoleBindings are
 * looked through for foreign ones).
 */
export function evidenceReport(system: TenantInput, live: readonly KubeObject[]): EvidenceReport {
  const input = tenantInputSchema.parse(system);
  const tenant = compileTenant(input);
  const baseline = compileBaseline();
  const liveByRef = new Map(live.map((o) => [objectKey(o), o]));
  const namespaceObject = tenant.objects[0] as KubeObject;
  const exemptions = new Map(tenant.exemptions.map((e) => [e.control, e]));

  const controls = CONTROLS.filter((c) => c.appliesAt(input.level)).map((control): ControlEvidence => {
    const expected = [...clusterObjectsFor(baseline, control.id, input.level), ...tenant.objects.filter((o) => ownerOf(o) === control.id)];
    // The unified egress only matters to systems that may use it.
    const relevant =
      control.id === "zone-egress" && internetEgress(input.zone, ZONE_EGRESS_PARAMS[input.level]) === "none"
        ? expected.filter((o) => o.metadata.namespace === tenant.namespace)
        : expected;
    const objects = relevant.map((o) => evidenceFor(o, liveByRef));
    if (control.mechanisms.includes("pod-security-admission")) objects.unshift(evidenceFor(namespaceObject, liveByRef, PSA_LABELS));
    const exemption = exemptions.get(control.id);
    // What an exemption allows is not a weakening of it.
    const foreign = exemption ? [] : foreignObjectsFor(control.id, tenant.namespace, input.level, live);
    const drifted = objects.some((o) => o.status !== "present") || foreign.length > 0;
    return {
      id: control.id,
      title: control.title,
      family: FAMILIES[control.family],
      requirement: control.requirement,
      parameters: control.parameters(input.level) ?? {},
      summary: control.summary(input.level) ?? { zh: "", en: "" },
      mechanisms: control.mechanisms.map((id) => ({ id, ...MECHANISMS[id] })),
      exemption: exemption ? { expiresAt: exemption.expiresAt.toISOString(), grantedBy: exemption.grantedBy, reason: exemption.reason } : null,
      objects,
      foreign,
      status: drifted ? "drifted" : exemption ? "exempted" : "enforced",
    };
  });

  const count = (status: ControlStatus) => controls.filter((c) => c.status === status).length;
  return {
    generatedAt: input.now.toISOString(),
    system: { system: input.system, department: input.department, namespace: tenant.namespace, level: input.level, zone: input.zone },
    namespace: evidenceFor(namespaceObject, liveByRef),
    controls,
    summary: { total: controls.length, enforced: count("enforced"), exempted: count("exempted"), drifted: count("drifted") },
  };
}

/** The objects an evidence report compares, for reading them from the cluster. */
export function evidenceObjects(system: TenantInput): ObjectRef[] {
  const input = tenantInputSchema.parse(system);
  const tenant = compileTenant(input);
  const baseline = compileBaseline().filter((o) => {
    const level = o.metadata.labels?.[LEVEL_LABEL];
    return level === undefined || level === String(input.level);
  });
  return [...baseline, ...tenant.objects].map(refOf);
}

/** The report as JSON (stable key order). */
export function evidenceJson(report: EvidenceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
