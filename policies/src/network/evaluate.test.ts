import { describe, expect, it } from "vitest";
import type { NetworkPolicySpec } from "../model/k8s.js";
import { inCidr } from "./cidr.js";
import { type Endpoint, evaluate, type PolicyLike } from "./evaluate.js";
import { matchesSelector } from "./selector.js";

const policy = (namespace: string, name: string, spec: NetworkPolicySpec): PolicyLike => ({ metadata: { name, namespace }, spec });
const pod = (namespace: string, podLabels: Record<string, string> = {}, namespaceLabels: Record<string, string> = {}): Endpoint => ({
  kind: "pod",
  namespace,
  namespaceLabels: { "kubernetes.io/metadata.name": namespace, ...namespaceLabels },
  podLabels,
});

describe("label selectors", () => {
  it("implements matchLabels and every operator", () => {
    const labels = { a: "1", b: "2" };
    expect(matchesSelector({}, labels)).toBe(true);
    expect(matchesSelector({ matchLabels: { a: "1" } }, labels)).toBe(true);
    expect(matchesSelector({ matchLabels: { a: "2" } }, labels)).toBe(false);
    expect(matchesSelector({ matchExpressions: [{ key: "a", operator: "In", values: ["1", "3"] }] }, labels)).toBe(true);
    expect(matchesSelector({ matchExpressions: [{ key: "c", operator: "In", values: ["1"] }] }, labels)).toBe(false);
    expect(matchesSelector({ matchExpressions: [{ key: "a", operator: "NotIn", values: ["1"] }] }, labels)).toBe(false);
    expect(matchesSelector({ matchExpressions: [{ key: "c", operator: "NotIn", values: ["1"] }] }, labels)).toBe(true);
    expect(matchesSelector({ matchExpressions: [{ key: "b", operator: "Exists" }] }, labels)).toBe(true);
    expect(matchesSelector({ matchExpressions: [{ key: "b", operator: "DoesNotExist" }] }, labels)).toBe(false);
  });
});

describe("CIDR", () => {
  it("contains addresses by prefix", () => {
    expect(inCidr("10.1.2.3", "10.0.0.0/8")).toBe(true);
    expect(inCidr("11.1.2.3", "10.0.0.0/8")).toBe(false);
    expect(inCidr("0.0.0.1", "0.0.0.0/0")).toBe(true);
    expect(inCidr("192.168.1.1", "192.168.1.1/32")).toBe(true);
    expect(inCidr("192.168.1.2", "192.168.1.1/32")).toBe(false);
    expect(inCidr("192.168.1.2", "::/0")).toBe(false);
  });
});

describe("NetworkPolicy evaluation", () => {
  const a = pod("a", { app: "web" });
  const b = pod("b", { app: "db" }, { team: "x" });

  it("allows everything when no policy selects either side", () => {
    expect(evaluate([], { from: a, to: b, protocol: "TCP", port: 80 }).allowed).toBe(true);
  });

  it("isolates selected pods: an empty policy denies", () => {
    const deny = policy("b", "deny", { podSelector: {}, policyTypes: ["Ingress"] });
    const verdict = evaluate([deny], { from: a, to: b, protocol: "TCP", port: 80 });
    expect(verdict.allowed).toBe(false);
    expect(verdict.ingress.isolated).toBe(true);
    expect(verdict.egress.isolated).toBe(false);
  });

  it("adds allows across policies, per direction", () => {
    const policies = [
      policy("a", "deny-a", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
      policy("b", "deny-b", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
      policy("a", "a-to-x", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: { matchLabels: { team: "x" } } }] }] }),
      policy("b", "b-from-a", {
        podSelector: { matchLabels: { app: "db" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "a" } } }], ports: [{ protocol: "TCP", port: 5432 }] }],
      }),
    ];
    const ok = evaluate(policies, { from: a, to: b, protocol: "TCP", port: 5432 });
    expect(ok.allowed).toBe(true);
    expect(ok.egress.allowedBy).toEqual(["a-to-x"]);
    expect(ok.ingress.allowedBy).toEqual(["b-from-a"]);
    expect(evaluate(policies, { from: a, to: b, protocol: "TCP", port: 22 }).allowed).toBe(false);
    expect(evaluate(policies, { from: a, to: b, protocol: "UDP", port: 5432 }).allowed).toBe(false);
    expect(evaluate(policies, { from: b, to: a, protocol: "TCP", port: 5432 }).allowed).toBe(false);
  });

  it("reads a lone podSelector peer as the policy's own namespace", () => {
    const within = policy("a", "within", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: {} }] }] });
    expect(evaluate([within], { from: pod("a"), to: a, protocol: "TCP", port: 1 }).allowed).toBe(true);
    expect(evaluate([within], { from: b, to: a, protocol: "TCP", port: 1 }).allowed).toBe(false);
  });

  it("requires namespace and pod selectors of one peer to match together", () => {
    const p = policy("b", "p", {
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "a" } }, podSelector: { matchLabels: { app: "api" } } }] }],
    });
    expect(evaluate([p], { from: a, to: b, protocol: "TCP", port: 1 }).allowed).toBe(false);
    expect(evaluate([p], { from: pod("a", { app: "api" }), to: b, protocol: "TCP", port: 1 }).allowed).toBe(true);
  });

  it("matches ipBlocks with exceptions, and port ranges", () => {
    const p = policy("a", "out", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "203.0.113.0/24", except: ["203.0.113.128/25"] } }], ports: [{ protocol: "TCP", port: 8000, endPort: 8100 }] }],
    });
    const to = (ip: string, port: number) => evaluate([p], { from: a, to: { kind: "ip", ip }, protocol: "TCP", port }).allowed;
    expect(to("203.0.113.5", 8050)).toBe(true);
    expect(to("203.0.113.200", 8050)).toBe(false);
    expect(to("203.0.113.5", 8101)).toBe(false);
    expect(to("198.51.100.1", 8050)).toBe(false);
  });

  it("defaults policyTypes like the API server: Egress only when egress rules exist", () => {
    const ingressOnly = policy("a", "i", { podSelector: {} });
    expect(evaluate([ingressOnly], { from: a, to: b, protocol: "TCP", port: 1 }).egress.isolated).toBe(false);
    const withEgress = policy("a", "e", { podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] });
    expect(evaluate([withEgress], { from: a, to: b, protocol: "TCP", port: 1 }).egress.isolated).toBe(true);
  });
});
