import { describe, expect, it } from "vitest";
import { egressDestination } from "../../shared/schemas.js";
import { allowedStorage, egressBlockedBecause, isEgressHost } from "./policy.js";

describe("request rules the wizard applies", () => {
  it("allows only encrypted storage from level 3", () => {
    expect(allowedStorage(2)).toHaveLength(3);
    expect(allowedStorage(3)).toEqual(["storage_encrypted_gib"]);
    expect(allowedStorage(4)).toEqual(["storage_encrypted_gib"]);
  });

  it("allows an internet allow-list only in the external zone below level 4", () => {
    expect(egressBlockedBecause("external", 3)).toBeNull();
    expect(egressBlockedBecause("internal", 1)).toBe("internal");
    expect(egressBlockedBecause("external", 4)).toBe("level4");
  });

  it("accepts exactly the destinations the server's schema accepts", () => {
    const samples = [
      "api.example.gov.cn",
      "*.example.com",
      "10.1.2.3",
      "10.1.0.0/16",
      "203.0.113.0/24",
      "8.8.8.8",
      "0.0.0.0/0",
      "*",
      "*.cn",
      "1.0.0.0/8",
      "localhost",
      "http://x.cn",
      "",
      "bad_host.cn",
      `${"a".repeat(260)}.cn`,
    ];
    for (const host of samples) expect(isEgressHost(host), host).toBe(egressDestination.safeParse({ host, port: 443 }).success);
  });
});
