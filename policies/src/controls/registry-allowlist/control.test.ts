import { describe, expect, it } from "vitest";
import { fixtureContext } from "../../matrix/world.js";
import { LEVELS } from "../../model/level.js";
import { compiledControl } from "../../testing/compiled-control.js";
import { fixtureHygiene } from "../../testing/fixture-hygiene.js";
import { imagesOf } from "../../testing/pod-spec.js";
import { REGISTRY_PARAMS, registryAllowlist } from "./control.js";
import { registryAllowlistFixtures } from "./fixtures.js";

describe("registry-allowlist", () => {
  it("carries each level's allow-list in a parameter object", () => {
    const { bindingLevels, params } = compiledControl(registryAllowlist);
    expect(bindingLevels).toEqual([...LEVELS]);
    expect(params.get(1)?.prefixes).toBe("registry.zhengyun.gov.cn/,mirror.zhengyun.gov.cn/");
    expect(params.get(3)?.prefixes).toBe("registry.zhengyun.gov.cn/");
    expect(params.get(4)?.prefixes).toBe("registry.zhengyun.gov.cn/");
  });

  it("uses prefixes that end in a slash, so a look-alike host cannot match", () => {
    for (const level of LEVELS) for (const prefix of REGISTRY_PARAMS[level].prefixes) expect(prefix.endsWith("/")).toBe(true);
  });

  it("has good fixtures only from allowed registries and bad fixtures each with an image from elsewhere", () => {
    for (const level of LEVELS) {
      const allowed = (image: string) => REGISTRY_PARAMS[level].prefixes.some((p) => image.startsWith(p));
      for (const f of registryAllowlistFixtures.good(fixtureContext(level))) expect(imagesOf(f.object).every(allowed), f.name).toBe(true);
      for (const f of registryAllowlistFixtures.bad(fixtureContext(level)))
        expect(
          imagesOf(f.object).some((i) => !allowed(i)),
          f.name,
        ).toBe(true);
    }
  });

  it("names the offending images in the refusal", () => {
    const detail = compiledControl(registryAllowlist).policy?.spec.validations[0]?.messageExpression;
    expect(detail).toContain(".map(c, c.image).join(', ')");
  });

  fixtureHygiene(registryAllowlist, registryAllowlistFixtures, { everyWorkloadKind: true });
});
