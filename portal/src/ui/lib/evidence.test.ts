import { describe, expect, it } from "vitest";
import { countStandings, evidenceStanding, evidenceUrl } from "./evidence.js";

describe("evidence standing", () => {
  it("puts controls not in force before exemptions, and says when there is no report", () => {
    expect(evidenceStanding(null)).toBe("unreported");
    expect(evidenceStanding({ total: 9, enforced: 7, exempted: 1, drifted: 1 })).toBe("notInForce");
    expect(evidenceStanding({ total: 9, enforced: 8, exempted: 1, drifted: 0 })).toBe("exempted");
    expect(evidenceStanding({ total: 9, enforced: 9, exempted: 0, drifted: 0 })).toBe("enforced");
  });

  it("counts systems per standing, with every standing present", () => {
    const ok = { total: 5, enforced: 5, exempted: 0, drifted: 0 };
    expect(countStandings([{ latest: ok }, { latest: ok }, { latest: null }])).toEqual({ notInForce: 0, unreported: 1, exempted: 0, enforced: 2 });
  });

  it("addresses the latest report, an earlier one and the download", () => {
    const id = "8d3c2f4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f";
    expect(evidenceUrl(id)).toBe(`/evidence/${id}`);
    expect(evidenceUrl(id, { reportId: 12 })).toBe(`/evidence/${id}?report=12`);
    expect(evidenceUrl(id, { reportId: 12, format: "json" })).toBe(`/evidence/${id}?report=12&format=json`);
  });
});
