import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LabelSelector, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort } from "../model/k8s.js";
import { type Connection, type Endpoint, evaluate, type PolicyLike } from "./evaluate.js";

const NAMESPACES = ["a", "b", "c"];
const label = fc.dictionary(fc.constantFrom("app", "tier"), fc.constantFrom("web", "db", "x"), { maxKeys: 2 });
const selector: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  label.map((matchLabels) => ({ matchLabels })),
  fc.record({
    matchExpressions: fc.array(
      fc.record({
        key: fc.constantFrom("app", "tier", "team"),
        operator: fc.constantFrom("In", "NotIn", "Exists", "DoesNotExist"),
        values: fc.constant(["web", "x"]),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  }) as fc.Arbitrary<LabelSelector>,
);
const peer: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: selector }),
  fc.record({ namespaceSelector: selector, podSelector: selector }),
  fc
    .record({
      ipBlock: fc.record({
        cidr: fc.constantFrom("10.0.0.0/8", "10.1.0.0/16", "0.0.0.0/0", "192.168.1.0/24"),
        except: fc.boolean(),
      }),
    })
    .map(({ ipBlock }): NetworkPolicyPeer => ({ ipBlock: ipBlock.except ? { cidr: ipBlock.cidr, except: ["10.1.2.0/24"] } : { cidr: ipBlock.cidr } })),
);
const port: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom("TCP", "UDP") as fc.Arbitrary<"TCP" | "UDP">, port: fc.constantFrom(53, 80, 443) }),
  fc.record({ protocol: fc.constant("TCP" as const), port: fc.constant(8000), endPort: fc.constant(8100) }),
  fc.record({ protocol: fc.constant("TCP" as const) }),
);
const peers = fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined });
const ports = fc.option(fc.array(port, { maxLength: 2 }), { nil: undefined });
const ingressRule: fc.Arbitrary<NetworkPolicyIngressRule> = fc.record({ from: peers, ports }, { requiredKeys: [] });
const egressRule: fc.Arbitrary<NetworkPolicyEgressRule> = fc.record({ to: peers, ports }, { requiredKeys: [] });

/** Policies that say which directions they isolate (as the platform's and the API server's do). */
const policy: fc.Arbitrary<PolicyLike> = fc
  .record({
    name: fc.constantFrom("p1", "p2", "p3", "p4"),
    namespace: fc.constantFrom(...NAMESPACES),
    podSelector: selector,
    policyTypes: fc.constantFrom<Array<"Ingress" | "Egress">>(["Ingress"], ["Egress"], ["Ingress", "Egress"]),
    ingress: fc.array(ingressRule, { maxLength: 2 }),
    egress: fc.array(egressRule, { maxLength: 2 }),
  })
  .map(({ name, namespace, ...spec }) => ({ metadata: { name, namespace }, spec }));

const endpoint: fc.Arbitrary<Endpoint> = fc.oneof(
  fc.record({ namespace: fc.constantFrom(...NAMESPACES), podLabels: label, team: fc.constantFrom(undefined, "x") }).map(
    ({ namespace, podLabels, team }): Endpoint => ({
      kind: "pod",
      namespace,
      namespaceLabels: { "kubernetes.io/metadata.name": namespace, ...(team ? { team } : {}) },
      podLabels,
    }),
  ),
  fc.constantFrom("10.1.2.3", "10.9.9.9", "192.168.1.7", "8.8.8.8").map((ip): Endpoint => ({ kind: "ip", ip })),
);
const connection: fc.Arbitrary<Connection> = fc.record({
  from: endpoint,
  to: endpoint,
  protocol: fc.constantFrom("TCP", "UDP") as fc.Arbitrary<"TCP" | "UDP">,
  port: fc.constantFrom(53, 80, 443, 8050, 9000),
});

/** The policies with one more allow rule in one of them. */
function withRule(
  policies: PolicyLike[],
  index: number,
  direction: "ingress" | "egress",
  rule: NetworkPolicyIngressRule | NetworkPolicyEgressRule,
): PolicyLike[] {
  return policies.map((p, i) => (i === index % policies.length ? { ...p, spec: { ...p.spec, [direction]: [...(p.spec[direction] ?? []), rule] } } : p));
}

describe("NetworkPolicy evaluation is monotone", () => {
  it("adding an allow rule never removes an allowed connection", () => {
    fc.assert(
      fc.property(
        fc.array(policy, { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.oneof(
          ingressRule.map((rule) => ({ direction: "ingress" as const, rule })),
          egressRule.map((rule) => ({ direction: "egress" as const, rule })),
        ),
        connection,
        (policies, index, { direction, rule }, c) => {
          const before = evaluate(policies, c);
          const after = evaluate(withRule(policies, index, direction, rule), c);
          if (before.allowed) expect(after.allowed).toBe(true);
          // Nor does it take away a policy that allowed it.
          for (const name of before.ingress.allowedBy) expect(after.ingress.allowedBy).toContain(name);
          for (const name of before.egress.allowedBy) expect(after.egress.allowedBy).toContain(name);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("a policy selecting neither end leaves the verdict as it was", () => {
    fc.assert(
      fc.property(fc.array(policy, { maxLength: 4 }), connection, (policies, c) => {
        const elsewhere: PolicyLike = { metadata: { name: "elsewhere", namespace: "zz" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } };
        expect(evaluate([...policies, elsewhere], c).allowed).toBe(evaluate(policies, c).allowed);
      }),
    );
  });
});
