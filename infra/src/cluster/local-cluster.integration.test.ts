import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import * as k8s from "@kubernetes/client-node";
import { describe, expect, inject, it } from "vitest";
import { toolchainVersions } from "../toolchain.js";

const run = promisify(execFile);

const KUBECTL_CANDIDATES = ["/usr/lib/google-cloud-sdk/bin/kubectl", "/usr/bin/kubectl", "/usr/local/bin/kubectl"];
function kubectl(): string {
  const found = process.env.KUBECTL ?? KUBECTL_CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error(`kubectl not found (tried ${KUBECTL_CANDIDATES.join(", ")}; set KUBECTL)`);
  return found;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function status(err: unknown): number | undefined {
  return err instanceof k8s.ApiException ? err.code : undefined;
}

describe("local control plane", () => {
  const kubeconfig = inject("kubeconfig");
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);

  it("exposes the kubeconfig to tests", () => {
    expect(process.env.KUBECONFIG).toBe(kubeconfig);
    expect(existsSync(kubeconfig)).toBe(true);
  });

  it("serves the machine's kubectl with the written kubeconfig", async () => {
    const { stdout } = await run(kubectl(), ["--kubeconfig", kubeconfig, "get", "ns", "-o", "name"]);
    expect(stdout.split("\n")).toContain("namespace/default");

    const version = await run(kubectl(), ["--kubeconfig", kubeconfig, "version", "-o", "json"]);
    const server = JSON.parse(version.stdout).serverVersion;
    expect(server.gitVersion).toBe(toolchainVersions.kubernetes);
    expect(server.major).toBe("1");
    expect(server.minor).toBe("34");
  });

  it("authorizes with RBAC: the admin is in system:masters, others are not", async () => {
    const { stdout } = await run(kubectl(), ["--kubeconfig", kubeconfig, "auth", "can-i", "delete", "nodes"]);
    expect(stdout.trim()).toBe("yes");
    const other = await run(kubectl(), [
      "--kubeconfig",
      kubeconfig,
      "auth",
      "can-i",
      "list",
      "secrets",
      "-n",
      "kube-system",
      "--as",
      "system:serviceaccount:default:default",
    ]).catch((err: { stdout: string }) => err);
    expect(other.stdout.trim()).toBe("no");
  });

  it("runs the controllers: service accounts appear and namespace deletion completes", async () => {
    const name = `zy-ns-${Date.now().toString(36)}`;
    await core.createNamespace({ body: { metadata: { name } } });

    // serviceaccount controller
    let sa: k8s.V1ServiceAccount | undefined;
    for (let i = 0; i < 150 && !sa; i++) {
      sa = await core.readNamespacedServiceAccount({ name: "default", namespace: name }).catch(() => undefined);
      if (!sa) await sleep(200);
    }
    expect(sa?.metadata?.name).toBe("default");

    // root-ca-certificate-publisher controller
    let ca: k8s.V1ConfigMap | undefined;
    for (let i = 0; i < 150 && !ca; i++) {
      ca = await core.readNamespacedConfigMap({ name: "kube-root-ca.crt", namespace: name }).catch(() => undefined);
      if (!ca) await sleep(200);
    }
    expect(ca?.data?.["ca.crt"]).toContain("BEGIN CERTIFICATE");

    await core.createNamespacedConfigMap({
      namespace: name,
      body: { metadata: { name: "content" }, data: { a: "b" } },
    });
    await core.deleteNamespace({ name });

    // namespace controller empties the namespace, then removes the finalizer
    let gone = false;
    for (let i = 0; i < 300 && !gone; i++) {
      try {
        await core.readNamespace({ name });
        await sleep(200);
      } catch (err) {
        if (status(err) !== 404) throw err;
        gone = true;
      }
    }
    expect(gone).toBe(true);
  }, 90_000);
});
