import { describe, expect, it } from "vitest";
import { canonicalQuantity, isIntegerQuantity, quantityValue } from "./quantity.js";

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
    expect(isIntegerQuantity("500m")).toBe(true);
    expect(isIntegerQuantity("0.5")).toBe(false);
    expect(isIntegerQuantity("1e3")).toBe(false);
    expect(() => canonicalQuantity("lots")).toThrow();
  });

  it("reads every form the API server accepts, rounding below a nano-unit up", () => {
    expect(canonicalQuantity("0.5Gi")).toBe("512Mi");
    expect(canonicalQuantity("0.5Ki")).toBe("512");
    expect(canonicalQuantity("1.5")).toBe("1500m");
    expect(canonicalQuantity("1e3")).toBe("1e3");
    expect(canonicalQuantity("1E4")).toBe("10e3");
    expect(canonicalQuantity("1E")).toBe("1E");
    expect(canonicalQuantity("0.0000000001")).toBe("1n");
    expect(canonicalQuantity("-1500m")).toBe("-1500m");
    expect(quantityValue("1e3")).toBe(1000);
    expect(quantityValue("0.5Gi")).toBe(2 ** 29);
  });

  it("compares in base units", () => {
    expect(quantityValue("8Gi")).toBe(8 * 1024 ** 3);
    expect(quantityValue("500m")).toBe(0.5);
  });
});
