// Contradictory or incomplete values fail before anything is rendered, with a message that names
// the values to change: cross-field checks in templates/validate.yaml, single values in the schema.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chartDir, template } from "./helm.js";

const minimal = join(chartDir, "ci", "minimal-values.yaml");
const ha = join(chartDir, "ci", "ha-values.yaml");

interface Refusal {
  name: string;
  base?: string;
  set: Record<string, string | number | boolean>;
  message: string;
}

const refusals: Refusal[] = [
  {
    name: "no database Secret",
    set: { "database.existingSecret": "" },
    message: "database.existingSecret is required",
  },
  {
    name: "no Pulumi passphrase Secret",
    set: { "controller.pulumi.passphrase.existingSecret": "" },
    message: "controller.pulumi.passphrase.existingSecret is required",
  },
  {
    name: "OIDC enabled without an issuer",
    set: {
      "oidc.enabled": true,
      "oidc.clientId": "portal",
      "oidc.redirectUri": "https://zy.gov.cn/auth/oidc/callback",
      "oidc.clientSecret.existingSecret": "oidc",
    },
    message: "oidc.enabled is true but oidc.issuer is empty",
  },
  {
    name: "OIDC enabled without a client secret",
    set: { "oidc.enabled": true, "oidc.issuer": "https://sso.gov.cn", "oidc.clientId": "portal", "oidc.redirectUri": "https://zy.gov.cn/auth/oidc/callback" },
    message: "oidc.clientSecret.existingSecret is empty",
  },
  {
    name: "OIDC settings while OIDC is disabled",
    set: { "oidc.issuer": "https://sso.gov.cn" },
    message: "oidc settings are given but oidc.enabled is false",
  },
  {
    name: "a redirect URI that is not the portal's callback",
    base: ha,
    set: { "oidc.redirectUri": "https://zhengyun.yangzhou.gov.cn/callback" },
    message: "must end in /auth/oidc/callback",
  },
  {
    name: "a redirect URI on another host than the ingress",
    base: ha,
    set: { "oidc.redirectUri": "https://portal.example.gov.cn/auth/oidc/callback" },
    message: 'oidc.redirectUri points at host "portal.example.gov.cn" but ingress.host is "zhengyun.yangzhou.gov.cn"',
  },
  {
    name: "an http redirect URI behind a TLS ingress",
    base: ha,
    set: { "oidc.redirectUri": "http://zhengyun.yangzhou.gov.cn/auth/oidc/callback" },
    message: "ingress.tls.enabled is true but oidc.redirectUri",
  },
  {
    name: "ingress TLS without a host",
    set: { "ingress.enabled": true, "ingress.tls.enabled": true },
    message: "ingress.tls.enabled is true but ingress.host is empty",
  },
  {
    name: "TLS without the ingress",
    set: { "ingress.tls.enabled": true, "ingress.host": "zy.gov.cn" },
    message: "ingress.tls.enabled is true but ingress.enabled is false",
  },
  {
    name: "Secure cookies with nothing served over https",
    set: { "portal.secureCookies": "true" },
    message: "portal.secureCookies is true but nothing serves the portal over https",
  },
  {
    name: "insecure cookies behind a TLS ingress",
    base: ha,
    set: { "portal.secureCookies": "false" },
    message: "portal.secureCookies is false but the ingress terminates TLS",
  },
  {
    name: "a disruption budget that never lets a pod go",
    set: { "portal.podDisruptionBudget.maxUnavailable": 0 },
    message: "portal.podDisruptionBudget.maxUnavailable is 0",
  },
  {
    name: "tolerating the level 4 dedicated-node taint",
    set: { "controller.tolerations[0].key": "zhengyun.gov.cn/dedicated", "controller.tolerations[0].operator": "Exists" },
    message: "controller.tolerations tolerate the level 4 dedicated-node taint",
  },
  {
    name: "several controllers on a file backend",
    set: { "controller.pulumi.backendUrl": "file:///var/lib/zhengyun/state", "controller.replicas": 2 },
    message: "controller.pulumi.backendUrl is a file:// backend but controller.replicas > 1",
  },
  {
    name: "the demo seed behind SSO",
    base: ha,
    set: { "portal.seed": "demo" },
    message: "portal.seed is demo on a portal served with TLS or SSO",
  },
  {
    name: "the egress gateway in the cluster with a scope guard that leaves out its namespace",
    set: { "egress.mode": "cluster", "controller.rbac.scopeGuard.platformNamespaces": "{zhengyun-system}" },
    message: "egress.mode is cluster but controller.rbac.scopeGuard.platformNamespaces does not list zhengyun-egress",
  },
  // Single values, refused by values.schema.json.
  { name: "no portal replica", set: { "portal.replicas": 0 }, message: "at '/portal/replicas': minimum: got 0, want 1" },
  { name: "no controller replica", set: { "controller.replicas": 0 }, message: "at '/controller/replicas': minimum: got 0, want 1" },
  { name: "an unknown key", set: { "portal.replica": 2 }, message: "additional properties 'replica' not allowed" },
  { name: "running as root", set: { "securityContext.runAsUser": 0 }, message: "at '/securityContext/runAsUser'" },
  { name: "a malformed digest", set: { "image.digest": "sha256:abc" }, message: "at '/image/digest'" },
  {
    name: "a container without a memory limit",
    set: { "portal.resources.limits.memory": "null" },
    message: "at '/portal/resources/limits': missing property 'memory'",
  },
  // `local` runs Squid beside the controller process on loopback: a host's mode, not a pod's.
  { name: "an egress mode the chart does not run", set: { "egress.mode": "local" }, message: "at '/egress/mode': value must be one of 'off', 'cluster'" },
  { name: "a connection log kept less than 180 days", set: { "egress.retentionDays": 90 }, message: "at '/egress/retentionDays': minimum: got 90, want 180" },
  { name: "an unknown Pulumi backend", set: { "controller.pulumi.backendUrl": "s3://bucket" }, message: "at '/controller/pulumi/backendUrl'" },
];

describe("contradictory values", () => {
  it("the minimal scenario itself renders", async () => {
    const result = await template({ valuesFiles: [minimal] });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it.each(refusals)("refuses $name", async ({ base, set, message }) => {
    const result = await template({ valuesFiles: [base ?? minimal], set });
    expect(result.code, result.stdout.slice(0, 200)).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
  });
});
