import type { ControlId } from "./control.js";
import type { KubeObject } from "./k8s.js";
import type { Level, Zone } from "./level.js";
import type { FlowGrant, TenantQuota } from "./tenant.js";

/** What fixtures may depend on: the level, and what the system was granted. */
export interface FixtureContext {
  level: Level;
  zone: Zone;
  quota: TenantQuota;
}

/** An object a department might apply; the namespace is filled in when it is applied. */
export interface AdmissionFixture {
  /** Unique within the control and level; a DNS label (the object is named after it). */
  name: string;
  description: string;
  object: KubeObject;
  /**
   * Other controls the object also breaks (e.g. a privileged pod breaks Pod
   * Security too): with every control enforced, any of them may refuse first.
   */
  alsoViolates?: readonly ControlId[];
  /** A refusal substring more specific than the control's own (e.g. the quota's). */
  refusal?: string;
  /** For fixtures admitted with a warning: a substring the API server's warning carries. */
  warning?: string;
}

export interface AdmissionFixtures {
  kind: "admission";
  /** Objects the control admits at this level. */
  good(ctx: FixtureContext): AdmissionFixture[];
  /** Objects the control refuses at this level. */
  bad(ctx: FixtureContext): AdmissionFixture[];
  /** Objects the control admits but warns about at apply time (each names its `warning`). */
  warned?(ctx: FixtureContext): AdmissionFixture[];
}

/** A side of a probed connection, resolved against the cluster when probing. */
export type ProbeEndpoint =
  | { kind: "self"; pod: Record<string, string> }
  | { kind: "system"; system: string }
  | { kind: "dns" }
  | { kind: "egress-gateway" }
  | { kind: "internet"; ip: string };

export interface Probe {
  name: string;
  description: string;
  from: ProbeEndpoint;
  to: ProbeEndpoint;
  protocol: "TCP" | "UDP";
  port: number;
}

export interface PeerSystem {
  system: string;
  level: Level;
  zone: Zone;
}

export interface NetworkFixtureContext {
  system: string;
  level: Level;
  zone: Zone;
  flows: readonly FlowGrant[];
  /** The other systems on the cluster. */
  peers: readonly PeerSystem[];
}

export interface NetworkFixtures {
  kind: "network";
  /** Connections the level's policies must allow. */
  good(ctx: NetworkFixtureContext): Probe[];
  /** Connections the level's policies must drop. */
  bad(ctx: NetworkFixtureContext): Probe[];
}

export type ControlFixtures = AdmissionFixtures | NetworkFixtures;
