import { randomBytes } from "node:crypto";
import { Kube, loadKubeConfig } from "../kube/client.js";

/**
 * The API server the integration tests run against: the local control plane
 * the test setup started (it sets KUBECONFIG), never whatever cluster a
 * developer's default kubeconfig points at.
 */
export function testKube(): Kube {
  const path = process.env.KUBECONFIG;
  if (!path) throw new Error("KUBECONFIG is not set: run the integration tests through vitest, whose global setup starts the local control plane");
  return new Kube(loadKubeConfig(path));
}

/** A prefix that keeps concurrent runs' namespaces apart. */
export function uniquePrefix(tag: string): string {
  return `${tag}-${randomBytes(2).toString("hex")}`;
}
