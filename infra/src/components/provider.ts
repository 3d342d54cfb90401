// The Kubernetes provider the components are created with. Always explicit: resources never fall
// back to an ambient kubeconfig by accident.

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * A server-side-apply provider for the cluster given by `kubeconfig` (its contents), or for the
 * cluster the process runs in (service account credentials) when `kubeconfig` is undefined.
 */
export function clusterProvider(name: string, kubeconfig: string | undefined, opts?: pulumi.CustomResourceOptions): k8s.Provider {
  return new k8s.Provider(
    name,
    {
      // Credentials are kept encrypted in the stack state.
      kubeconfig: kubeconfig === undefined ? undefined : pulumi.secret(kubeconfig),
      enableServerSideApply: true,
    },
    opts,
  );
}
