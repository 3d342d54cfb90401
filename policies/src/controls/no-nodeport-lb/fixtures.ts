import { quotaName } from "../../compile/quota.js";
import type { AdmissionFixture, AdmissionFixtures } from "../../model/fixture.js";
import type { KubeObject } from "../../model/k8s.js";
import { NO_NODEPORT_PARAMS } from "./control.js";

function service(name: string, spec: Record<string, unknown>, ports = 1): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name },
    spec: {
      selector: { app: "web" },
      ports: Array.from({ length: ports }, (_, i) => ({ name: `p${i}`, protocol: "TCP", port: 8080 + i, targetPort: 8080 + i })),
      ...spec,
    },
  };
}

const fixture = (name: string, description: string, spec: Record<string, unknown>, ports = 1): AdmissionFixture => ({
  name,
  description,
  object: service(name, spec, ports),
});

export const noNodePortLbFixtures: AdmissionFixtures = {
  kind: "admission",
  good: ({ level, quota }) => {
    const fixtures = [fixture("svc-cluster-ip", "ClusterIP service", { type: "ClusterIP" })];
    if (NO_NODEPORT_PARAMS[level].services === "quota") {
      if (quota.nodePorts > 0)
        fixtures.push(fixture("svc-node-port-approved", "NodePort service within the approved quota", { type: "NodePort" }, quota.nodePorts));
      if (quota.loadBalancers > 0) {
        fixtures.push(fixture("svc-lb-approved", "LoadBalancer within the approved quota", { type: "LoadBalancer", allocateLoadBalancerNodePorts: false }));
      }
    }
    return fixtures;
  },
  bad: ({ level, quota }) => {
    const fixtures = [fixture("svc-external-ips", "claims an external IP", { type: "ClusterIP", externalIPs: ["203.0.113.7"] })];
    if (NO_NODEPORT_PARAMS[level].services === "deny") {
      fixtures.push(
        fixture("svc-node-port", "NodePort service", { type: "NodePort" }),
        fixture("svc-load-balancer", "LoadBalancer service", { type: "LoadBalancer" }),
      );
      return fixtures;
    }
    const overQuota = `exceeded quota: ${quotaName("no-nodeport-lb")}`;
    fixtures.push({
      ...fixture(
        "svc-node-port-over",
        `NodePort service needing ${quota.nodePorts + 1} node ports, ${quota.nodePorts} approved`,
        { type: "NodePort" },
        quota.nodePorts + 1,
      ),
      refusal: overQuota,
    });
    if (quota.loadBalancers === 0) {
      fixtures.push({
        ...fixture("svc-lb-unapproved", "LoadBalancer without approval", { type: "LoadBalancer", allocateLoadBalancerNodePorts: false }),
        refusal: overQuota,
      });
    }
    return fixtures;
  },
};
