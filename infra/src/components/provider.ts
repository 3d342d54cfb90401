// The Kubernetes provider the components are created with. Always explicit: resources never fall
// back to an ambient kubeconfig by accident.

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * A server-side-apply provider for the cluster given by `kubeconfig` (its contents), or for the
 * cluster the process runs in (service account credentials) when `kubeconfig` is undefined.
 *
 * `clusterIdentifier` names the cluster independently of how it is reached. Without it the provider
 * takes a kubeconfig that points elsewhere (a new address, a restarted control plane on another
 * port) for another cluster and replaces every object it manages; with it, only a change of the
 * identifier does, and new credentials or addresses are plain updates.
 */
export function clusterProvider(name: string, kubeconfig: string | undefined, opts?: pulumi.CustomResourceOptions, clusterIdentifier?: string): k8s.Provider {
  return new k8s.Provider(
    name,
    {
      // Credentials are kept encrypted in the stack state.
      kubeconfig: kubeconfig === undefined ? undefined : pulumi.secret(kubeconfig),
      enableServerSideApply: true,
      ...(clusterIdentifier ? { clusterIdentifier } : {}),
    },
    opts,
  );
}
