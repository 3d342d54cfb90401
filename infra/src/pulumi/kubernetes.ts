// The Kubernetes provider, always created explicitly: resources never fall back to
// an ambient KUBECONFIG or in-cluster credentials by accident.

import { existsSync, readFileSync } from "node:fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface KubernetesProviderArgs {
  /** A kubeconfig file path or the kubeconfig contents. */
  kubeconfig: string;
  /** Context to use; the kubeconfig's current context if unset. */
  context?: string;
}

/** Kubeconfig contents from a path or from contents given directly. */
export function kubeconfigContents(kubeconfig: string): string {
  const looksLikeContents = kubeconfig.includes("\n") || kubeconfig.trimStart().startsWith("{");
  if (!looksLikeContents && existsSync(kubeconfig)) return readFileSync(kubeconfig, "utf8");
  if (!looksLikeContents) throw new Error(`kubeconfig file not found: ${kubeconfig}`);
  return kubeconfig;
}

/** Creates the Kubernetes provider inside a Pulumi program. */
export function kubernetesProvider(name: string, args: KubernetesProviderArgs, opts?: pulumi.CustomResourceOptions): k8s.Provider {
  return new k8s.Provider(
    name,
    {
      // Credentials are kept encrypted in the stack state.
      kubeconfig: pulumi.secret(kubeconfigContents(args.kubeconfig)),
      context: args.context,
      enableServerSideApply: true,
    },
    opts,
  );
}
