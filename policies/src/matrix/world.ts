import { CATALOG } from "../catalog.js";
import type { Control, ControlId } from "../model/control.js";
import type { FixtureContext, NetworkFixtureContext, PeerSystem } from "../model/fixture.js";
import { LEVELS, type Level, ZONES, type Zone } from "../model/level.js";
import { type Exemption, type FlowGrant, type TenantInput, type TenantQuota, tenantQuotaSchema } from "../model/tenant.js";

/**
 * The systems the matrix runs against: one fully enforced system per level
 * and zone, and for each admission control at each level where it applies,
 * a system where only that control is enforced (so its refusal is its own)
 * and one where that control is exempted (so exemptions are seen to work).
 */
export const WORLD_QUOTA: TenantQuota = tenantQuotaSchema.parse({
  cpu: "8",
  memory: "16Gi",
  pods: 50,
  storage: { standard: "10Gi", ssd: "10Gi", encrypted: "10Gi" },
  nodePorts: 1,
  loadBalancers: 0,
});

export const SECURITY_OFFICER = "security-officer";
export const FLOW_PORT = 8080;
export const DEPARTMENT = "matrix";

export interface WorldSystem {
  input: TenantInput;
  level: Level;
  zone: Zone;
}

export interface World {
  prefix: string;
  now: Date;
  /** One fully enforced system per level and zone. */
  systems: WorldSystem[];
  /** `${control}/${level}` → system where every other exemptible control is exempted. */
  isolated: Map<string, WorldSystem>;
  /** `${control}/${level}` → system exempted from the control (and what its bad fixtures also break). */
  exempted: Map<string, WorldSystem>;
}

export const cellKey = (id: ControlId, level: Level) => `${id}/${level}`;

export function systemName(prefix: string, level: Level, zone: Zone): string {
  return `${prefix}-l${level}-${zone === "internal" ? "int" : "ext"}`;
}

/**
 * Within a zone, level L accepts traffic from level L-1 on one port and level
 * L-1 may send it: lower to higher, so approved by the security officer.
 */
export function worldFlows(prefix: string, level: Level, zone: Zone): FlowGrant[] {
  const flows: FlowGrant[] = [];
  const ports = [{ protocol: "TCP" as const, port: FLOW_PORT }];
  const below = LEVELS.find((l) => l === level - 1);
  const above = LEVELS.find((l) => l === level + 1);
  if (below) flows.push({ direction: "ingress", peer: { system: systemName(prefix, below, zone), zone, level: below }, ports, approvedBy: SECURITY_OFFICER });
  if (above) flows.push({ direction: "egress", peer: { system: systemName(prefix, above, zone), zone, level: above }, ports, approvedBy: SECURITY_OFFICER });
  return flows;
}

function exemption(control: ControlId, now: Date): Exemption {
  return { control, expiresAt: new Date(now.getTime() + 3_600_000), grantedBy: SECURITY_OFFICER, reason: "policy matrix" };
}

function system(name: string, level: Level, zone: Zone, now: Date, extra: Partial<TenantInput> = {}): WorldSystem {
  return { level, zone, input: { system: name, department: DEPARTMENT, level, zone, quota: WORLD_QUOTA, now, ...extra } };
}

export function fixtureContext(level: Level, zone: Zone = "external"): FixtureContext {
  return { level, zone, quota: WORLD_QUOTA };
}

/** Controls the bad fixtures of `control` at `level` may also break. */
export function alsoViolated(entry: (typeof CATALOG)[number], level: Level): ControlId[] {
  if (entry.fixtures.kind !== "admission") return [];
  const ids = new Set(entry.fixtures.bad(fixtureContext(level)).flatMap((f) => f.alsoViolates ?? []));
  return [...ids];
}

function exemptibleOthers(control: Control, level: Level): ControlId[] {
  return CATALOG.map((e) => e.control)
    .filter((c) => c.id !== control.id && c.exemptible && c.appliesAt(level))
    .map((c) => c.id);
}

export function buildWorld(prefix: string, now: Date): World {
  const systems = LEVELS.flatMap((level) =>
    ZONES.map((zone) => system(systemName(prefix, level, zone), level, zone, now, { flows: worldFlows(prefix, level, zone) })),
  );
  const isolated = new Map<string, WorldSystem>();
  const exempted = new Map<string, WorldSystem>();
  for (const entry of CATALOG) {
    if (entry.fixtures.kind !== "admission") continue;
    for (const level of entry.control.levels) {
      const key = cellKey(entry.control.id, level);
      const others = exemptibleOthers(entry.control, level).map((id) => exemption(id, now));
      isolated.set(key, system(`${prefix}-${entry.control.id}-l${level}-only`, level, "external", now, { exemptions: others }));
      const exempt = [entry.control.id, ...alsoViolated(entry, level)].map((id) => exemption(id, now));
      exempted.set(key, system(`${prefix}-${entry.control.id}-l${level}-exempt`, level, "external", now, { exemptions: exempt }));
    }
  }
  return { prefix, now, systems, isolated, exempted };
}

export function fullSystem(world: World, level: Level, zone: Zone): WorldSystem {
  const found = world.systems.find((s) => s.level === level && s.zone === zone);
  if (!found) throw new Error(`no world system at level ${level}, ${zone}`);
  return found;
}

export function allSystems(world: World): WorldSystem[] {
  return [...world.systems, ...world.isolated.values(), ...world.exempted.values()];
}

export function networkContext(world: World, level: Level, zone: Zone): NetworkFixtureContext {
  const self = fullSystem(world, level, zone);
  const peers: PeerSystem[] = world.systems.filter((s) => s !== self).map((s) => ({ system: s.input.system, level: s.level, zone: s.zone }));
  return { system: self.input.system, level, zone, flows: self.input.flows ?? [], peers };
}
