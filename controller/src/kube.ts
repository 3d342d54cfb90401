// Kubernetes API clients: the raw-JSON object client every read of the cluster and the last step
// of healing go through, and the typed core client for the cluster's identity and namespaces.

import * as k8s from "@kubernetes/client-node";
import { Kube } from "@zhengyun/policies/kube";

export interface KubeClients {
  config: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  /** Objects as plain JSON, read back exactly as they are compiled (drift, healing, usage, evidence). */
  catalog: Kube;
}

/** Clients from kubeconfig contents, or in-cluster credentials when undefined. */
export function kubeClients(kubeconfig: string | undefined): KubeClients {
  const config = new k8s.KubeConfig();
  if (kubeconfig === undefined) config.loadFromCluster();
  else config.loadFromString(kubeconfig);
  return { config, core: config.makeApiClient(k8s.CoreV1Api), catalog: new Kube(config) };
}

/** The cluster's identity, whatever address or credentials reach it: the kube-system namespace's uid. */
export async function clusterIdentity(core: k8s.CoreV1Api): Promise<string> {
  const ns = await core.readNamespace({ name: "kube-system" });
  const uid = ns.metadata?.uid;
  if (!uid) throw new Error("the kube-system namespace has no uid");
  return `kube-system:${uid}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Deletes a system's namespace if it is still there (finalizer-style cleanup after a destroy: a run
 * killed before its create was recorded can leave one the state never knew), and waits until the
 * API server has removed it. Only a namespace labelled for this system is touched.
 */
export async function ensureNamespaceGone(core: k8s.CoreV1Api, namespace: string, systemId: string, timeoutMs = 180_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let deleted = false;
  while (Date.now() < deadline) {
    let ns: k8s.V1Namespace;
    try {
      ns = await core.readNamespace({ name: namespace });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return deleted;
      throw err;
    }
    if (ns.metadata?.annotations?.["zhengyun.gov.cn/system-id"] !== systemId) {
      throw new Error(`namespace ${namespace} exists but does not belong to system ${systemId}; left in place`);
    }
    if (!ns.metadata?.deletionTimestamp) {
      await core.deleteNamespace({ name: namespace }).catch((err) => {
        if ((err as { code?: number }).code !== 404) throw err;
      });
      deleted = true;
    }
    await sleep(500);
  }
  throw new Error(`namespace ${namespace} was still terminating after ${Math.round(timeoutMs / 1000)}s`);
}
