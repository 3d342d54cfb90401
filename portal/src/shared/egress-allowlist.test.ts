import { formatEgressHost, ipToNumber, parseEgressHost, parsePort, SPECIAL_USE, WIDEST_PREFIX } from "@zhengyun/policies/egress-allowlist";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { egressDestination, requestInput } from "./schemas.js";

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const tld = fc.stringMatching(/^[a-z]{2,6}$/);
const domain = fc.tuple(fc.array(label, { minLength: 1, maxLength: 4 }), tld).map(([ls, t]) => [...ls, t].join("."));
const octet = fc.integer({ min: 0, max: 255 });
const address = fc.tuple(octet, octet, octet, octet).map((o) => o.join("."));

function special(ip: string, prefix: number): boolean {
  const start = ipToNumber(ip);
  const end = start + 2 ** (32 - prefix);
  return SPECIAL_USE.some((s) => {
    const sStart = ipToNumber(s.network);
    return start < sStart + 2 ** (32 - s.prefix) && sStart < end;
  });
}

describe("allow-list entries", () => {
  it("accepts every host name and wildcard domain and keeps it canonical", () => {
    fc.assert(
      fc.property(domain, fc.boolean(), fc.boolean(), (name, wildcard, upper) => {
        const text = `${wildcard ? "*." : ""}${upper ? name.toUpperCase() : name}`;
        const parsed = parseEgressHost(`  ${text} `);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.value.kind).toBe(wildcard ? "wildcard" : "name");
        const canonical = formatEgressHost(parsed.value);
        expect(canonical).toBe(text.toLowerCase());
        // Parsing is idempotent on the canonical form.
        const again = parseEgressHost(canonical);
        expect(again.ok && formatEgressHost(again.value)).toBe(canonical);
      }),
    );
  });

  it("accepts an IPv4 address or block exactly when it is public and no wider than /16", () => {
    fc.assert(
      fc.property(address, fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined }), (ip, prefix) => {
        const p = prefix ?? 32;
        const start = ipToNumber(ip);
        const aligned = start % 2 ** (32 - p) === 0;
        const parsed = parseEgressHost(prefix === undefined ? ip : `${ip}/${prefix}`);
        const expected = p >= WIDEST_PREFIX && aligned && !special(ip, p) && !(ip === "0.0.0.0");
        expect(parsed.ok, `${ip}/${p}`).toBe(expected);
        if (!parsed.ok) {
          expect(parsed.error.zh.length).toBeGreaterThan(0);
          expect(parsed.error.en.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it("never accepts an entry that reaches private, loopback or reserved space", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SPECIAL_USE), fc.integer({ min: 0, max: 2 ** 16 - 1 }), fc.integer({ min: 16, max: 32 }), (s, offset, prefix) => {
        const size = 2 ** (32 - s.prefix);
        const ip = ipToNumber(s.network) + (offset % size);
        const text = `${[24, 16, 8, 0].map((sh) => Math.floor(ip / 2 ** sh) % 256).join(".")}/${prefix}`;
        expect(parseEgressHost(text).ok).toBe(false);
      }),
    );
  });

  it("never accepts arbitrary text containing characters outside host syntax", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseEgressHost(text);
        if (parsed.ok) expect(formatEgressHost(parsed.value)).toMatch(/^(\*\.)?[a-z0-9.-]+(\/\d{1,2})?$/);
      }),
    );
  });

  it("refuses any-destination entries with a clear bilingual message", () => {
    for (const text of ["*", "0.0.0.0/0", "0.0.0.0", "*.*"]) {
      const parsed = parseEgressHost(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error.code).toBe("anything");
        expect(parsed.error.zh).toContain("任意");
        expect(parsed.error.en).toContain("any");
      }
    }
    for (const [text, code] of [
      ["10.0.0.0/8", "too-wide"],
      ["10.1.0.0/16", "private"],
      ["192.168.1.1", "private"],
      ["127.0.0.1", "private"],
      ["1.0.0.0/8", "too-wide"],
      ["*.cn", "wildcard"],
      ["a.*.example.cn", "wildcard"],
      ["http://x.cn", "syntax"],
      ["localhost", "syntax"],
      ["203.0.113.7/24", "syntax"],
    ] as const) {
      const parsed = parseEgressHost(text);
      expect(parsed.ok ? "ok" : parsed.error.code, text).toBe(code);
    }
  });

  it("accepts ports 1–65535 only", () => {
    fc.assert(fc.property(fc.integer(), (port) => parsePort(port).ok === (port >= 1 && port <= 65535)));
  });

  it("is what the request schema applies: bad entries are refused, good ones stored canonical", () => {
    expect(egressDestination.parse({ host: "*.Example.GOV.cn", port: 443 })).toEqual({ host: "*.example.gov.cn", port: 443 });
    const bad = requestInput.safeParse({
      systemId: "9b2d1c9e-4a43-4c1f-9b1a-0c1d2e3f4a5b",
      kind: "new",
      egress: [{ host: "0.0.0.0/0", port: 443 }],
      justification: "needs the internet",
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["egress", 0, "host"]);
    expect(bad.error?.issues[0]?.message).toMatch(/任意.*any/);
    expect(egressDestination.safeParse({ host: "api.example.gov.cn", port: 0 }).success).toBe(false);
  });
});
