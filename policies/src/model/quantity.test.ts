import { describe, expect, it } from "vitest";
import { canonicalQuantity, isQuantity, quantityValue } from "./quantity.js";

describe("quantities", () => {
  it("writes quantities the way the API server stores them", () => {
    expect(canonicalQuantity("1024Mi")).toBe("1Gi");
    expect(canonicalQuantity("1536Mi")).toBe("1536Mi");
    expect(canonicalQuantity("16Gi")).toBe("16Gi");
    expect(canonicalQuantity("1000m")).toBe("1");
    expect(canonicalQuantity("1500m")).toBe("1500m");
    expect(canonicalQuantity("2000")).toBe("2k");
    expect(canonicalQuantity("8")).toBe("8");
    expect(canonicalQuantity("0Gi")).toBe("0");
    expect(canonicalQuantity("1048576Ki")).toBe("1Gi");
  });

  it("accepts integer quantities only", () => {
    expect(isQuantity("500m")).toBe(true);
    expect(isQuantity("0.5")).toBe(false);
    expect(isQuantity("1e3")).toBe(false);
    expect(() => canonicalQuantity("lots")).toThrow();
  });

  it("compares in base units", () => {
    expect(quantityValue("8Gi")).toBe(8 * 1024 ** 3);
    expect(quantityValue("500m")).toBe(0.5);
  });
});
