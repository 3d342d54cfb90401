import { describe, expect, it } from "vitest";
import { parseWarnings } from "./client.js";

describe("parseWarnings", () => {
  it("splits joined Warning headers and unquotes their texts", () => {
    const header = '299 - "would violate PodSecurity \\"restricted:v1.34\\": a, b", 299 - "second"';
    expect(parseWarnings(header)).toEqual(['would violate PodSecurity "restricted:v1.34": a, b', "second"]);
    expect(parseWarnings(undefined)).toEqual([]);
  });
});
