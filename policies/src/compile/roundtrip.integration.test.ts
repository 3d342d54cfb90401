import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAll, mapLimit, waitFor } from "../kube/apply.js";
import type { Kube } from "../kube/client.js";
import type { KubeObject, ValidatingAdmissionPolicyObject } from "../model/k8s.js";
import { LEVELS, ZONES } from "../model/level.js";
import type { TenantInput } from "../model/tenant.js";
import { testKube, uniquePrefix } from "../testing/cluster.js";
import { compileBaseline } from "./baseline.js";
import { contentHash } from "./hash.js";
import { compileTenant } from "./tenant.js";

/**
 * The API server stores what the compiler writes without rewriting it
 * (defaults, canonical quantities…), so the content hashes the evidence
 * report compares are stable; and it type-checks every CEL expression
 * without a warning.
 */
let kube: Kube;
const prefix = uniquePrefix("zyrt");
const now = new Date();
const systems: TenantInput[] = LEVELS.flatMap((level) =>
  ZONES.map((zone) => ({
    system: `${prefix}-l${level}-${zone}`,
    department: "roundtrip",
    level,
    zone,
    now,
    quota: { cpu: "6000m", memory: "12288Mi", pods: 30, storage: { standard: "2048Gi", ssd: "100Gi", encrypted: "500Gi" }, nodePorts: 3, loadBalancers: 1 },
    egressAllowList: zone === "external" && level < 4 ? ["api.example.gov.cn", "203.0.113.0/24"] : [],
    exemptions:
      level === 3 ? [{ control: "digest-pinning", expiresAt: new Date(now.getTime() + 3_600_000), grantedBy: "officer", reason: "vendor image" }] : [],
  })),
);
let compiled: KubeObject[];
let applied: KubeObject[];

beforeAll(async () => {
  kube = testKube();
  compiled = [...compileBaseline(), ...systems.flatMap((s) => compileTenant(s).objects)];
  applied = await applyAll(kube, compiled);
});

afterAll(async () => {
  await mapLimit(systems, 8, (s) => kube.delete({ apiVersion: "v1", kind: "Namespace", name: s.system }));
});

describe("compiled objects on the API server", () => {
  it("are stored exactly as compiled", () => {
    const drift = compiled
      .map((object, i) => ({ object, live: applied[i] as KubeObject }))
      .filter(({ object, live }) => contentHash(object) !== contentHash(live))
      .map(({ object, live }) => `${object.kind}/${object.metadata.name}: ${JSON.stringify(live.spec ?? live.data ?? live.metadata.labels)}`);
    expect(drift).toEqual([]);
  });

  it("read back identical", async () => {
    const read = await mapLimit(compiled, 8, (o) =>
      kube.read({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) }),
    );
    expect(read.map((o) => (o ? contentHash(o) : "missing"))).toEqual(compiled.map(contentHash));
  });

  it("include admission policies whose CEL type-checks without warnings", async () => {
    const names = compiled.filter((o) => o.kind === "ValidatingAdmissionPolicy").map((o) => o.metadata.name);
    const policies = await waitFor("type checking of the admission policies", async () => {
      const live = await mapLimit(names, 8, (name) => kube.read({ apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicy", name }));
      const checked = live.filter((p): p is ValidatingAdmissionPolicyObject => {
        const status = p?.status as { typeChecking?: unknown; observedGeneration?: number } | undefined;
        return status?.typeChecking !== undefined && status.observedGeneration === (p?.metadata as { generation?: number } | undefined)?.generation;
      });
      return checked.length === names.length ? checked : undefined;
    });
    for (const policy of policies) {
      const warnings = (policy.status as { typeChecking: { expressionWarnings?: unknown[] } }).typeChecking.expressionWarnings ?? [];
      expect(warnings, policy.metadata.name).toEqual([]);
    }
  });
});
