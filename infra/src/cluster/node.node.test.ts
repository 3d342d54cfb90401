// The local node runs pods: a pod of the probe image (a static Go HTTP server built here)
// is scheduled, started by containerd and runc, gets an address on the node's bridge and
// answers HTTP from there. Service names resolve in pods (the node's CoreDNS), and only
// the cluster's names: nothing is forwarded off the machine.

import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually } from "../chart/run.js";
import { CLUSTER_DNS_IP, COREDNS_IMAGE } from "./dns.js";
import { PROBE_IMAGE } from "./images.js";
import { httpGetAnswered, untilDnsReady, untilRunning } from "./pods.js";

describe("the local node", () => {
  const node = inject("node");
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(inject("kubeconfig"));
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const namespace = `node-test-${process.pid}`;

  beforeAll(async () => {
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });
  afterAll(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => {});
  });

  it("registers as a Ready node running containerd, with the kubelet of the toolchain's version", async () => {
    const n = await core.readNode({ name: node.name });
    expect(n.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    expect(n.status?.nodeInfo?.kubeletVersion).toBe("v1.34.4");
    expect(n.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^containerd:\/\//);
    expect(n.status?.addresses).toContainEqual({ type: "InternalIP", address: node.ip });
    const images = (n.status?.images ?? []).flatMap((i) => i.names ?? []);
    expect(images).toEqual(expect.arrayContaining(["zhengyun.local/pause:1", PROBE_IMAGE.ref, COREDNS_IMAGE.ref]));
  });

  it("runs a pod of the probe image, which answers HTTP on its pod address", async () => {
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: "web", labels: { app: "web" } },
        spec: {
          containers: [
            {
              name: "web",
              image: PROBE_IMAGE.ref,
              imagePullPolicy: "Never",
              args: ["serve", "8080"],
              ports: [{ containerPort: 8080 }],
              resources: { limits: { cpu: "100m", memory: "32Mi" } },
            },
          ],
        },
      },
    });
    const pod = await untilRunning(core, namespace, "web");
    expect(pod.spec?.nodeName).toBe(node.name);
    const ip = pod.status?.podIP ?? "";
    expect(ip.startsWith(node.podCidr.split(".").slice(0, 3).join("."))).toBe(true);
    const answer = await httpGetAnswered(`http://${ip}:8080/`);
    expect(answer).toEqual({ status: 200, body: "ok web\n" });
  });

  it("resolves a Service in the pod's own namespace by name through the cluster DNS, and nothing outside the cluster", async () => {
    // CoreDNS is ready once its first sync from the API server (through the `kubernetes` Service) is done.
    await untilDnsReady(kc.makeApiClient(k8s.AppsV1Api));
    const dns = await core.readNamespacedService({ namespace: "kube-system", name: "kube-dns" });
    expect(dns.spec?.clusterIP).toBe(CLUSTER_DNS_IP);
    expect(node.dnsIp).toBe(CLUSTER_DNS_IP);
    await core.createNamespacedService({
      namespace,
      body: { metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] } },
    });
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: "client" },
        spec: {
          containers: [
            {
              name: "client",
              image: PROBE_IMAGE.ref,
              imagePullPolicy: "Never",
              args: ["serve", "8080"],
              resources: { limits: { cpu: "100m", memory: "32Mi" } },
            },
          ],
        },
      },
    });
    const client = await untilRunning(core, namespace, "client");
    const agent = `http://${client.status?.podIP}:8080`;
    await httpGetAnswered(`${agent}/`);
    const service = await core.readNamespacedService({ namespace, name: "web" });
    const name = `web.${namespace}.svc.cluster.local`;
    const resolved = await httpGetAnswered(`${agent}/resolve?name=${name}`);
    expect(resolved).toEqual({ status: 200, body: `addresses ${service.spec?.clusterIP}\n` });
    // The short name, through the search path kubelet writes into the pod's resolv.conf.
    expect((await httpGetAnswered(`${agent}/resolve?name=web`)).body).toBe(`addresses ${service.spec?.clusterIP}\n`);
    // A connection by name reaches the Service's pod (kube-proxy translates the Service address).
    // kube-proxy programs a new Service after its EndpointSlice names the ready pod, on its own
    // schedule: until then the address leads nowhere (seen once in CI, a 3 s timeout). So the
    // connection is tried until kube-proxy has done that, within a minute.
    const since = Date.now();
    const connected = await eventually(`a connection to ${name}:80 through kube-proxy`, async () => {
      const tried = await httpGetAnswered(`${agent}/connect?to=${name}:80&ms=3000`);
      return tried.body === "open\n" ? tried : undefined;
    });
    expect(connected).toEqual({ status: 200, body: "open\n" });
    const opened = ((Date.now() - since) / 1000).toFixed(1);
    // A name outside the cluster is refused by CoreDNS (it has no forwarder) instead of being asked of another server.
    const outside = await httpGetAnswered(`${agent}/resolve?name=zhengyun.gov.cn.`);
    expect(outside.body).toMatch(/^error: .*(server misbehaving|refused|no such host)/);
    console.log(`[dns] ${name} → ${service.spec?.clusterIP} (open by name after ${opened} s); zhengyun.gov.cn. → ${outside.body.trim()}`);
  });
});
