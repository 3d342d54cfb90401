import { expect, it } from "vitest";
import { controlById } from "../catalog.js";
import { WORKLOAD_KINDS } from "../fixtures/workloads.js";
import { fixtureContext } from "../matrix/world.js";
import type { Control } from "../model/control.js";
import type { AdmissionFixture, AdmissionFixtures } from "../model/fixture.js";

const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks every admission control's fixtures are usable: present at each level
 * where the control applies, uniquely and validly named (CronJob names are
 * limited to 52 characters), and attributing refusals only to controls that
 * apply at that level.
 */
export function fixtureHygiene(control: Control, fixtures: AdmissionFixtures, options: { everyWorkloadKind?: boolean } = {}): void {
  for (const level of control.levels) {
    it(`has well-formed good and bad fixtures at level ${level}`, () => {
      const ctx = fixtureContext(level);
      const good = fixtures.good(ctx);
      const bad = fixtures.bad(ctx);
      expect(good.length).toBeGreaterThan(0);
      expect(bad.length).toBeGreaterThan(0);
      const warned = fixtures.warned?.(ctx) ?? [];
      for (const fixture of warned) expect(fixture.warning, fixture.name).toBeTruthy();
      const all: AdmissionFixture[] = [...good, ...bad, ...warned];
      expect(new Set(all.map((f) => f.name)).size).toBe(all.length);
      for (const fixture of all) {
        expect(fixture.name).toMatch(DNS_NAME);
        expect(fixture.name.length).toBeLessThanOrEqual(52);
        expect(fixture.object.metadata.name).toBe(fixture.name);
        expect(fixture.object.metadata.namespace).toBeUndefined();
        for (const other of fixture.alsoViolates ?? []) expect(controlById(other).appliesAt(level)).toBe(true);
      }
      if (options.everyWorkloadKind) {
        expect(new Set(bad.map((f) => f.object.kind))).toEqual(new Set(WORKLOAD_KINDS));
        expect(new Set(good.map((f) => f.object.kind))).toEqual(new Set(WORKLOAD_KINDS));
      }
    });
  }
}
