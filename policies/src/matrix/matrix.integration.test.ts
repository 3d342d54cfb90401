import { beforeAll, describe, expect, it } from "vitest";
import { CATALOG } from "../catalog.js";
import { LEVELS } from "../model/level.js";
import { testKube, uniquePrefix } from "../testing/cluster.js";
import { type Cell, type MatrixResult, runMatrix } from "./run.js";
import { renderFailures, renderTable } from "./table.js";
import { fixtureContext } from "./world.js";

/**
 * Every control at every level against the real API server: bad fixtures are
 * refused naming the control, good ones admitted, exemptions honoured,
 * network policies read back drop and pass what the level demands, and every
 * compiled object is live and unmodified.
 */
let result: MatrixResult;

beforeAll(async () => {
  result = await runMatrix(testKube(), { prefix: uniquePrefix("zym") });
  if (!result.ok) console.log(`${renderTable(result)}\n${renderFailures(result)}`);
});

function cell(control: string, level: number): Cell {
  const found = result.cells.find((c) => c.control === control && c.level === level);
  if (!found) throw new Error(`no cell ${control} L${level}`);
  return found;
}

describe.each(CATALOG.map((entry) => [entry.control.id, entry] as const))("%s", (id, entry) => {
  for (const level of LEVELS) {
    if (!entry.control.appliesAt(level)) {
      it(`does not apply at level ${level}`, () => {
        expect(cell(id, level).applies).toBe(false);
      });
      continue;
    }

    it(`level ${level}: refuses every bad fixture, naming the control`, () => {
      const c = cell(id, level);
      expect(c.badRefused?.total).toBeGreaterThan(0);
      expect(c.badRefused?.failures).toEqual([]);
      for (const outcome of c.outcomes.bad) {
        expect(outcome.admitted, outcome.fixture).toBe(false);
        expect(
          entry.control.refusals(level).some((r) => outcome.message.includes(r)),
          outcome.message,
        ).toBe(true);
      }
    });

    it(`level ${level}: admits every good fixture`, () => {
      const c = cell(id, level);
      expect(c.goodAdmitted?.total).toBeGreaterThan(0);
      expect(c.goodAdmitted?.failures).toEqual([]);
      for (const outcome of c.outcomes.good) expect(outcome.admitted, `${outcome.fixture}: ${outcome.message}`).toBe(true);
    });

    if (entry.control.exemptible) {
      it(`level ${level}: admits the bad fixtures where the control is exempted`, () => {
        const c = cell(id, level);
        expect(c.outcomes.exempted.length).toBe(c.outcomes.bad.length);
        for (const outcome of c.outcomes.exempted) expect(outcome.admitted, `${outcome.fixture}: ${outcome.message}`).toBe(true);
      });
    }

    if (entry.fixtures.kind === "admission" && (entry.fixtures.warned?.(fixtureContext(level)).length ?? 0) > 0) {
      it(`level ${level}: admits with a warning naming the control what it only warns about`, () => {
        const c = cell(id, level);
        expect(c.warnedAtApply?.total).toBeGreaterThan(0);
        expect(c.warnedAtApply?.failures).toEqual([]);
      });
    }

    it(`level ${level}: its compiled objects are live and unmodified`, () => {
      const c = cell(id, level);
      expect(c.evidence?.total).toBeGreaterThan(0);
      expect(c.evidence?.failures).toEqual([]);
    });
  }
});
