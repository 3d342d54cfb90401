import { describe, expect, it } from "vitest";
import { CONFIG_HASH_ANNOTATION, clusterSettings, GATEWAY_SECRET, gatewayObjects, portPolicyName } from "./cluster.js";
import { type GatewaySystem, renderGateway } from "./render.js";
import { loadEgressConfig } from "./service.js";

const options = { image: "registry.zhengyun.gov.cn/platform/egress-gateway@sha256:abc", collector: "10.0.0.5:3129" };

function system(n: number, port: number): GatewaySystem {
  return {
    systemId: `s${n}`,
    namespace: `sys-${n}`,
    departmentCode: "d1",
    zone: "external",
    level: 2,
    egressMbps: 5,
    destinations: [{ host: `api${n}.example.com`, port: 443 }],
    port,
  };
}

type Obj = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec?: unknown; [k: string]: unknown };
const byKind = (objects: Obj[], kind: string) => objects.filter((o) => o.kind === kind);

describe("the gateway's cluster objects", () => {
  const rendered = renderGateway([system(1, 20001), system(2, 20002)], clusterSettings(options));
  const objects = gatewayObjects(rendered, options) as Obj[];

  it("sends the access log to the collector and keeps Squid's files in the pod's run directory", () => {
    expect(rendered.config).toContain("access_log tcp://10.0.0.5:3129 logformat=zhengyun on-error=drop");
    expect(rendered.config).toContain("http_port 3128 name=zy-closed");
    expect(rendered.config).toContain("http_port 20001 name=sys-1");
    expect(rendered.config).toContain("pid_filename /run/squid/squid.pid");
  });

  it("opens each system's port to that system's namespace only, one policy per port", () => {
    const policies = byKind(objects, "NetworkPolicy") as (Obj & { spec: { ingress: { from: unknown[]; ports: unknown[] }[] } })[];
    expect(policies.map((p) => p.metadata.name)).toEqual([portPolicyName(20001), portPolicyName(20002)]);
    expect(policies[0]?.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "sys-1", "zhengyun.gov.cn/zone": "external" } } }],
        ports: [{ protocol: "TCP", port: 20001 }],
      },
    ]);
  });

  it("puts the configuration in a Secret and its hash on the pod template, so a change rolls the gateway out", () => {
    const secret = byKind(objects, "Secret")[0] as Obj & { data: Record<string, string> };
    expect(secret.metadata.name).toBe(GATEWAY_SECRET);
    expect(Buffer.from(secret.data["squid.conf"] ?? "", "base64").toString()).toBe(rendered.config);
    const hashOf = (objs: Obj[]) =>
      (byKind(objs, "Deployment")[0] as { spec: { template: { metadata: { annotations: Record<string, string> } } } }).spec.template.metadata.annotations[
        CONFIG_HASH_ANNOTATION
      ];
    const same = gatewayObjects(renderGateway([system(1, 20001), system(2, 20002)], clusterSettings(options)), options) as Obj[];
    const fewer = gatewayObjects(renderGateway([system(2, 20002)], clusterSettings(options)), options) as Obj[];
    expect(hashOf(same)).toBe(hashOf(objects));
    expect(hashOf(fewer)).not.toBe(hashOf(objects));
    const deployment = byKind(objects, "Deployment")[0] as { spec: { replicas: number; strategy: unknown } };
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });

  it("serves the common port and every system's port on the Service", () => {
    const service = byKind(objects, "Service")[0] as { spec: { ports: { port: number }[] } };
    expect(service.spec.ports.map((p) => p.port)).toEqual([3128, 20001, 20002]);
  });
});

describe("the egress settings for the cluster", () => {
  it("needs an image and a collector address", () => {
    expect(() => loadEgressConfig({ ZHENGYUN_EGRESS: "cluster" })).toThrow(/ZHENGYUN_EGRESS_IMAGE/);
    expect(() => loadEgressConfig({ ZHENGYUN_EGRESS: "cluster", ZHENGYUN_EGRESS_IMAGE: "x" })).toThrow(/ZHENGYUN_EGRESS_COLLECTOR/);
    const config = loadEgressConfig({
      ZHENGYUN_EGRESS: "cluster",
      ZHENGYUN_EGRESS_IMAGE: "img",
      ZHENGYUN_EGRESS_COLLECTOR: "controller.zhengyun-system.svc:3129",
    });
    expect(config.cluster).toEqual({
      image: "img",
      collector: "controller.zhengyun-system.svc:3129",
      collectorListen: { host: "0.0.0.0", port: 3129 },
      replicas: 2,
    });
    expect([config.firstPort, config.lastPort]).toEqual([20001, 29999]);
  });
});
