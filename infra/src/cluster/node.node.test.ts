// The local node runs pods: a pod of the probe image (a static Go HTTP server built here)
// is scheduled, started by containerd and runc, gets an address on the node's bridge and
// answers HTTP from there.

import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PROBE_IMAGE } from "./images.js";
import { httpGetAnswered, untilRunning } from "./pods.js";

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
    expect(images).toEqual(expect.arrayContaining(["zhengyun.local/pause:1", PROBE_IMAGE.ref]));
  });

  it("runs a pod of the probe image, which answers HTTP on its pod address", async () => {
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: "web" },
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
});
