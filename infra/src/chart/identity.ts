// The controller's identity as the chart creates it — ServiceAccount, ClusterRole, ClusterRoleBinding
// and the scope guard — applied to the local control plane for a test, and ways to act as it.

import { readFileSync } from "node:fs";
import { dumpYaml, loadYaml } from "@kubernetes/client-node";
import { expect } from "vitest";
import { type Manifest, render, scenarios } from "./helm.js";
import { eventually, kubectl, type RunResult } from "./run.js";

const IDENTITY_KINDS = ["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"];

export interface ControllerIdentity {
  release: string;
  namespace: string;
  /** `system:serviceaccount:<namespace>:<name>` */
  user: string;
  objects: Manifest[];
  /** kubectl as the controller's service account. */
  kubectl(args: string[], input?: string): Promise<RunResult>;
  /** The admin kubeconfig's contents, made to impersonate the controller's service account. */
  kubeconfig(): string;
  /** Deletes the cluster-scoped objects and the install namespace. */
  remove(): Promise<void>;
}

export function ok(result: RunResult, what: string): void {
  expect(result.code, `${what}: ${result.stderr}`).toBe(0);
}

/**
 * Renders the minimal scenario as `release` into `namespace` (created here), applies the controller's
 * identity objects, and waits until the authorizer and the scope guard act on them. `probeNamespace`
 * is an existing namespace Zhengyun does not manage, used to see the guard in force.
 */
export async function installControllerIdentity(
  adminKubeconfig: string,
  options: { release: string; namespace: string; probeNamespace: string; set?: Record<string, string> },
): Promise<ControllerIdentity> {
  const rendered = await render({
    release: options.release,
    namespace: options.namespace,
    valuesFiles: [scenarios().find((s) => s.name === "minimal")!.file],
    set: options.set,
  });
  const objects = rendered.filter((o) => IDENTITY_KINDS.includes(o.kind));
  const binding = objects.find((o) => o.kind === "ClusterRoleBinding") as Manifest & { subjects: { name: string; namespace: string }[] };
  const subject = binding.subjects[0]!;
  const user = `system:serviceaccount:${subject.namespace}:${subject.name}`;
  const admin = (args: string[], input?: string) => kubectl(adminKubeconfig, args, input);
  const identity: ControllerIdentity = {
    release: options.release,
    namespace: options.namespace,
    user,
    objects,
    kubectl: (args, input) => kubectl(adminKubeconfig, ["--as", user, ...args], input),
    kubeconfig() {
      const config = loadYaml<{ users: { user: Record<string, unknown> }[] }>(readFileSync(adminKubeconfig, "utf8"));
      for (const entry of config.users) entry.user.as = user;
      return dumpYaml(config);
    },
    async remove() {
      for (const o of objects.filter((x) => !x.metadata.namespace)) await admin(["delete", o.kind, o.metadata.name, "--ignore-not-found", "--wait=false"]);
      await admin(["delete", "namespace", options.namespace, "--ignore-not-found", "--wait=false"]);
    },
  };
  ok(await admin(["create", "namespace", options.namespace]), "install namespace");
  ok(
    await admin(
      ["apply", "--server-side", "--field-manager=zhengyun-chart-test", "-f", "-"],
      JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }),
    ),
    "apply the controller's identity",
  );
  // The authorizer and the admission plugin pick up new objects asynchronously.
  await eventually("the controller's ClusterRole to take effect", async () => {
    const r = await identity.kubectl(["auth", "can-i", "create", "namespaces"]);
    if (r.stdout.trim() === "yes") return true;
    throw new Error(`can-i: ${r.stdout.trim()} ${r.stderr.trim()}`);
  });
  await eventually("the scope guard to take effect", async () => {
    const r = await identity.kubectl(["create", "configmap", "probe", "-n", options.probeNamespace, "--dry-run=server"]);
    if (r.stderr.includes("zhengyun controller scope")) return true;
    throw new Error(`probe: ${r.code} ${r.stdout.trim()} ${r.stderr.trim()}`);
  });
  return identity;
}
