import { describe, expect, it } from "vitest";
import type { Exemption, TenantInput } from "../model/tenant.js";
import { contentHash } from "./hash.js";
import { compileTenant, EXEMPTIONS_ANNOTATION } from "./tenant.js";

const now = new Date("2025-06-01T08:00:00Z");
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const exemption = (control: Exemption["control"], expiresAt: Date): Exemption => ({ control, expiresAt, grantedBy: "officer", reason: "migration" });
const input = (extra: Partial<TenantInput> = {}): TenantInput => ({
  system: "tax-portal",
  department: "tax",
  level: 3,
  zone: "external",
  quota: { cpu: "8", memory: "16Gi" },
  now,
  ...extra,
});

describe("compileTenant", () => {
  it("labels the namespace with level, zone, department and system", () => {
    const { namespace, objects } = compileTenant(input());
    expect(namespace).toBe("tax-portal");
    expect(objects[0]?.kind).toBe("Namespace");
    expect(objects[0]?.metadata.labels).toMatchObject({
      "zhengyun.gov.cn/level": "3",
      "zhengyun.gov.cn/zone": "external",
      "zhengyun.gov.cn/department": "tax",
      "zhengyun.gov.cn/system": "tax-portal",
    });
  });

  it("puts every other object in the system's namespace, stamped with its content hash", () => {
    const { objects } = compileTenant(input({ namespace: "sys-tax-portal" }));
    expect(objects[0]?.metadata.name).toBe("sys-tax-portal");
    for (const o of objects.slice(1)) expect(o.metadata.namespace).toBe("sys-tax-portal");
    for (const o of objects) expect(o.metadata.annotations?.["zhengyun.gov.cn/spec-hash"]).toBe(contentHash(o));
  });

  it("is deterministic", () => {
    expect(compileTenant(input())).toEqual(compileTenant(input()));
  });

  it("compiles active exemptions to labels carrying the expiry and leaves expired ones out", () => {
    const { objects, requeueAt, exemptions } = compileTenant(
      input({ exemptions: [exemption("registry-allowlist", later(90)), exemption("dedicated-nodes", later(30)), exemption("psa", later(-1))] }),
    );
    const labels = objects[0]?.metadata.labels ?? {};
    expect(labels["exempt.zhengyun.gov.cn/registry-allowlist"]).toBe(String(later(90).getTime() / 1000));
    expect(labels["exempt.zhengyun.gov.cn/dedicated-nodes"]).toBe(String(later(30).getTime() / 1000));
    expect(labels["exempt.zhengyun.gov.cn/psa"]).toBeUndefined();
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(requeueAt).toEqual(later(30));
    expect(exemptions.map((e) => e.control).sort()).toEqual(["dedicated-nodes", "registry-allowlist"]);
    expect(JSON.parse(objects[0]?.metadata.annotations?.[EXEMPTIONS_ANNOTATION] ?? "[]")).toHaveLength(2);
  });

  it("treats an exemption expiring exactly now as lapsed", () => {
    const { objects, requeueAt } = compileTenant(input({ exemptions: [exemption("psa", now)] }));
    expect(objects[0]?.metadata.labels?.["exempt.zhengyun.gov.cn/psa"]).toBeUndefined();
    expect(requeueAt).toBeUndefined();
  });

  it("keeps the longest of several exemptions of one control", () => {
    const { objects } = compileTenant(input({ exemptions: [exemption("psa", later(10)), exemption("psa", later(20))] }));
    expect(objects[0]?.metadata.labels?.["exempt.zhengyun.gov.cn/psa"]).toBe(String(later(20).getTime() / 1000));
  });

  it("ignores an exemption of a control that does not apply at the level", () => {
    const { objects, exemptions } = compileTenant(input({ level: 1, exemptions: [exemption("digest-pinning", later(10))] }));
    expect(objects[0]?.metadata.labels?.["exempt.zhengyun.gov.cn/digest-pinning"]).toBeUndefined();
    expect(exemptions).toEqual([]);
  });

  it("refuses input that is not a system", () => {
    expect(() => compileTenant(input({ system: "Tax_Portal" }))).toThrow();
    expect(() => compileTenant(input({ level: 5 as 4 }))).toThrow();
    expect(() => compileTenant(input({ quota: { cpu: "1.5", memory: "1Gi" } }))).toThrow(/integer Kubernetes quantity/);
  });

  it("never compiles the same object twice", () => {
    const { objects } = compileTenant(input());
    const keys = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
