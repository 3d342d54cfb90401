import { randomBytes } from "node:crypto";
import { CATALOG, type CatalogEntry, controlById } from "../catalog.js";
import { compileBaseline } from "../compile/baseline.js";
import { compileTenant } from "../compile/tenant.js";
import { readLiveObjects } from "../evidence/read-live.js";
import { evidenceReport } from "../evidence/report.js";
import { applyAll, mapLimit, sleep, waitForNamespaceReady } from "../kube/apply.js";
import type { Kube } from "../kube/client.js";
import type { ControlId } from "../model/control.js";
import type { AdmissionFixture, AdmissionFixtures, NetworkFixtures, Probe } from "../model/fixture.js";
import type { NetworkPolicyObject } from "../model/k8s.js";
import { MANAGED_BY, MANAGED_BY_LABEL } from "../model/labels.js";
import { LEVELS, type Level, ZONES } from "../model/level.js";
import { judgeProbe, namespaceLabels } from "../network/probe.js";
import { attributed, type Outcome, tryCreate } from "./outcome.js";
import { allSystems, buildWorld, cellKey, fixtureContext, fullSystem, networkContext, type World, type WorldSystem } from "./world.js";

/** One expectation checked over a set of fixtures or probes. */
export interface Check {
  total: number;
  failures: string[];
}

export interface Cell {
  control: ControlId;
  level: Level;
  applies: boolean;
  /** Bad fixtures refused, naming the control (admission); bad probes dropped (network). */
  badRefused?: Check;
  /** Good fixtures admitted (admission); good probes allowed (network). */
  goodAdmitted?: Check;
  /** Bad fixtures admitted where the control is exempted (exemptible admission controls). */
  exemptionHonoured?: Check;
  /** Fixtures admitted with a warning naming the control (controls that warn at apply time). */
  warnedAtApply?: Check;
  /** The control's compiled objects are in the cluster, unmodified (evidence report). */
  evidence?: Check;
  /** Raw outcomes, for tests that want to assert on messages. */
  outcomes: { bad: Outcome[]; badEverywhere: Outcome[]; good: Outcome[]; exempted: Outcome[]; warned: Outcome[] };
}

export interface MatrixResult {
  prefix: string;
  cells: Cell[];
  ok: boolean;
  durationMs: number;
}

export interface MatrixOptions {
  prefix?: string;
  /** Keep the namespaces after the run (for inspection). */
  keep?: boolean;
  log?: (message: string) => void;
  /** How long to wait for newly applied policies to take effect. */
  settleMs?: number;
}

const CONCURRENCY = 16;

export function checkOk(check: Check | undefined): boolean {
  return check === undefined || check.failures.length === 0;
}

export function cellOk(cell: Cell): boolean {
  return checkOk(cell.badRefused) && checkOk(cell.goodAdmitted) && checkOk(cell.exemptionHonoured) && checkOk(cell.warnedAtApply) && checkOk(cell.evidence);
}

function namespaceOf(system: WorldSystem): string {
  return system.input.namespace ?? system.input.system;
}

function required<T>(map: Map<string, T>, key: string): T {
  const value = map.get(key);
  if (value === undefined) throw new Error(`matrix world has no ${key}`);
  return value;
}

async function applyWorld(kube: Kube, world: World, log: (m: string) => void): Promise<void> {
  log("applying the baseline (policies, bindings, parameters)");
  await applyAll(kube, compileBaseline());
  const systems = allSystems(world);
  log(`applying ${systems.length} systems`);
  await mapLimit(systems, 8, (s) => applyAll(kube, compileTenant(s.input).objects));
  await mapLimit(systems, 8, (s) => waitForNamespaceReady(kube, namespaceOf(s)));
}

/**
 * Policies take effect once the API server's admission informers have seen
 * them (and their parameter ConfigMaps). Wait until, for every admission
 * cell, one good fixture is admitted and one bad fixture is refused.
 */
async function settle(kube: Kube, world: World, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(CATALOG.filter((e) => e.fixtures.kind === "admission").flatMap((e) => e.control.levels.map((level) => ({ entry: e, level }))));
  while (pending.size > 0 && Date.now() < deadline) {
    await mapLimit([...pending], CONCURRENCY, async (item) => {
      const fixtures = item.entry.fixtures as AdmissionFixtures;
      const ctx = fixtureContext(item.level);
      const good = fixtures.good(ctx)[0];
      const bad = fixtures.bad(ctx)[0];
      if (!good || !bad) return pending.delete(item);
      const full = namespaceOf(fullSystem(world, item.level, "external"));
      const isolated = namespaceOf(required(world.isolated, cellKey(item.entry.control.id, item.level)));
      const [g, b] = await Promise.all([tryCreate(kube, good, full), tryCreate(kube, bad, isolated)]);
      if (g.admitted && !b.admitted && attributed(b.message, item.level, item.entry.control, bad)) pending.delete(item);
    });
    if (pending.size > 0) await sleep(250);
  }
}

function check(outcomes: readonly Outcome[], ok: (o: Outcome) => boolean, describe: (o: Outcome) => string): Check {
  return { total: outcomes.length, failures: outcomes.filter((o) => !ok(o)).map(describe) };
}

async function admissionCell(kube: Kube, world: World, entry: CatalogEntry, fixtures: AdmissionFixtures, level: Level): Promise<Cell> {
  const control = entry.control;
  const ctx = fixtureContext(level);
  const good = fixtures.good(ctx);
  const bad = fixtures.bad(ctx);
  const warned = fixtures.warned?.(ctx) ?? [];
  const full = namespaceOf(fullSystem(world, level, "external"));
  const isolated = namespaceOf(required(world.isolated, cellKey(control.id, level)));
  const exempted = namespaceOf(required(world.exempted, cellKey(control.id, level)));
  const run = (items: readonly AdmissionFixture[], namespace: string) => mapLimit(items, CONCURRENCY, (f) => tryCreate(kube, f, namespace));
  const [badOut, badEverywhere, goodOut, exemptOut, warnedOut] = await Promise.all([
    run(bad, isolated),
    run(bad, full),
    run(good, full),
    control.exemptible ? run(bad, exempted) : Promise.resolve([]),
    run(warned, full),
  ]);
  const byName = new Map(bad.map((f) => [f.name, f]));
  const fixtureOf = (o: Outcome) => byName.get(o.fixture) as AdmissionFixture;
  const why = (o: Outcome) => `${o.fixture} in ${o.namespace}: ${o.admitted ? "admitted" : o.message}`;
  const badRefused = check(
    [...badOut, ...badEverywhere],
    (o) => {
      if (o.admitted) return false;
      const fixture = fixtureOf(o);
      const others = o.namespace === full ? (fixture.alsoViolates ?? []).map(controlById) : [];
      return attributed(o.message, level, control, fixture, others);
    },
    why,
  );
  const cell: Cell = {
    control: control.id,
    level,
    applies: true,
    badRefused,
    goodAdmitted: check(goodOut, (o) => o.admitted, why),
    outcomes: { bad: badOut, badEverywhere, good: goodOut, exempted: exemptOut, warned: warnedOut },
  };
  if (control.exemptible) cell.exemptionHonoured = check(exemptOut, (o) => o.admitted, why);
  if (warned.length > 0) {
    const warningOf = new Map(warned.map((f) => [f.name, f.warning]));
    const warnedAsExpected = (o: Outcome) => {
      const expected = warningOf.get(o.fixture);
      return o.admitted && expected !== undefined && o.warnings.some((w) => w.includes(expected));
    };
    cell.warnedAtApply = check(
      warnedOut,
      warnedAsExpected,
      (o) => `${o.fixture} in ${o.namespace}: ${o.admitted ? `warnings ${JSON.stringify(o.warnings)}` : o.message}`,
    );
  }
  return cell;
}

interface LiveNetwork {
  policies: NetworkPolicyObject[];
  namespaces: ReturnType<typeof namespaceLabels>;
}

async function readNetwork(kube: Kube): Promise<LiveNetwork> {
  const [policies, namespaces] = await Promise.all([
    kube.list("networking.k8s.io/v1", "NetworkPolicy", { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}` }),
    kube.list("v1", "Namespace"),
  ]);
  return { policies: policies as NetworkPolicyObject[], namespaces: namespaceLabels(namespaces) };
}

function networkCell(world: World, live: LiveNetwork, entry: CatalogEntry, fixtures: NetworkFixtures, level: Level): Cell {
  const judge = (probes: (ctx: ReturnType<typeof networkContext>) => Probe[], expectAllowed: boolean): Check => {
    const failures: string[] = [];
    let total = 0;
    for (const zone of ZONES) {
      const ctx = networkContext(world, level, zone);
      for (const probe of probes(ctx)) {
        total += 1;
        const verdict = judgeProbe(live.policies, probe, ctx.system, live.namespaces);
        if (verdict.allowed !== expectAllowed) failures.push(`${zone} ${probe.name}: ${verdict.allowed ? "allowed" : "dropped"} (${probe.description})`);
      }
    }
    return { total, failures };
  };
  return {
    control: entry.control.id,
    level,
    applies: true,
    badRefused: judge((ctx) => fixtures.bad(ctx), false),
    goodAdmitted: judge((ctx) => fixtures.good(ctx), true),
    outcomes: { bad: [], badEverywhere: [], good: [], exempted: [], warned: [] },
  };
}

/** Evidence of the fully enforced systems of a level (both zones), per control. */
async function evidenceByLevel(kube: Kube, world: World): Promise<Map<string, Check>> {
  const checks = new Map<string, Check>();
  for (const level of LEVELS) {
    for (const zone of ZONES) {
      const system = fullSystem(world, level, zone);
      const report = evidenceReport(system.input, await readLiveObjects(kube, system.input));
      for (const control of report.controls) {
        const key = cellKey(control.id, level);
        const current = checks.get(key) ?? { total: 0, failures: [] };
        current.total += control.objects.length;
        for (const o of control.objects) {
          if (o.status !== "present") current.failures.push(`${system.input.system}: ${o.kind}/${o.name} ${o.status}`);
        }
        checks.set(key, current);
      }
    }
  }
  return checks;
}

async function cleanup(kube: Kube, world: World): Promise<void> {
  await mapLimit(allSystems(world), 8, (s) => kube.delete({ apiVersion: "v1", kind: "Namespace", name: namespaceOf(s) }));
}

/**
 * Run every fixture of every control at every level against the API server:
 * apply the baseline and the matrix world, dry-run-create the admission
 * fixtures, judge the network probes against the NetworkPolicies read back,
 * and compare the live objects with the compiled ones.
 */
export async function runMatrix(kube: Kube, options: MatrixOptions = {}): Promise<MatrixResult> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const prefix = options.prefix ?? `zym-${randomBytes(2).toString("hex")}`;
  const world = buildWorld(prefix, new Date());
  try {
    await applyWorld(kube, world, log);
    log("waiting for the policies to take effect");
    await settle(kube, world, options.settleMs ?? 60_000);
    log("running fixtures");
    const live = await readNetwork(kube);
    const evidence = await evidenceByLevel(kube, world);
    const cells: Cell[] = [];
    for (const entry of CATALOG) {
      for (const level of LEVELS) {
        if (!entry.control.appliesAt(level)) {
          cells.push({ control: entry.control.id, level, applies: false, outcomes: { bad: [], badEverywhere: [], good: [], exempted: [], warned: [] } });
          continue;
        }
        const cell =
          entry.fixtures.kind === "admission"
            ? await admissionCell(kube, world, entry, entry.fixtures, level)
            : networkCell(world, live, entry, entry.fixtures, level);
        const proof = evidence.get(cellKey(entry.control.id, level));
        if (proof) cell.evidence = proof;
        cells.push(cell);
      }
    }
    return { prefix, cells, ok: cells.every(cellOk), durationMs: Date.now() - started };
  } finally {
    if (!options.keep) await cleanup(kube, world);
  }
}
