import { describe, expect, it } from "vitest";
import { fixtureContext } from "../../matrix/world.js";
import { compiledControl } from "../../testing/compiled-control.js";
import { fixtureHygiene } from "../../testing/fixture-hygiene.js";
import { imagesOf } from "../../testing/pod-spec.js";
import { DIGEST_PATTERN, digestPinning } from "./control.js";
import { digestPinningFixtures } from "./fixtures.js";

const pinned = new RegExp(DIGEST_PATTERN);

describe("digest-pinning", () => {
  it("applies at levels 3 and 4 only", () => {
    expect(digestPinning.levels).toEqual([3, 4]);
    expect(compiledControl(digestPinning).bindingLevels).toEqual([3, 4]);
  });

  it("demands a full sha256 digest at the end of the reference", () => {
    expect(pinned.test(`r/x@sha256:${"a".repeat(64)}`)).toBe(true);
    expect(pinned.test(`r/x:1.0@sha256:${"a".repeat(64)}`)).toBe(true);
    expect(pinned.test(`r/x@sha256:${"a".repeat(12)}`)).toBe(false);
    expect(pinned.test("r/x:1.0")).toBe(false);
    expect(compiledControl(digestPinning).policy?.spec.validations[0]?.expression).toContain(`c.image.matches('${DIGEST_PATTERN}')`);
  });

  it("has pinned good fixtures and a bad fixture per unpinned image", () => {
    for (const level of digestPinning.levels) {
      for (const f of digestPinningFixtures.good(fixtureContext(level)))
        expect(
          imagesOf(f.object).every((i) => pinned.test(i)),
          f.name,
        ).toBe(true);
      for (const f of digestPinningFixtures.bad(fixtureContext(level)))
        expect(
          imagesOf(f.object).some((i) => !pinned.test(i)),
          f.name,
        ).toBe(true);
    }
  });

  fixtureHygiene(digestPinning, digestPinningFixtures, { everyWorkloadKind: true });
});
