// Self-contained kubeconfig files (certificates embedded). Written as JSON, which
// every kubeconfig reader accepts since JSON is YAML.

import { writeFile } from "node:fs/promises";
import { pemBase64 } from "./pki.js";

export interface KubeconfigInput {
  server: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
  user: string;
  clusterName?: string;
}

export async function kubeconfigJson(input: KubeconfigInput): Promise<string> {
  const cluster = input.clusterName ?? "zhengyun-local";
  const context = `${input.user}@${cluster}`;
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: cluster,
        cluster: { server: input.server, "certificate-authority-data": await pemBase64(input.caCert) },
      },
    ],
    users: [
      {
        name: input.user,
        user: {
          "client-certificate-data": await pemBase64(input.clientCert),
          "client-key-data": await pemBase64(input.clientKey),
        },
      },
    ],
    contexts: [{ name: context, context: { cluster, user: input.user } }],
    "current-context": context,
    preferences: {},
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export async function writeKubeconfig(path: string, input: KubeconfigInput): Promise<void> {
  await writeFile(path, await kubeconfigJson(input), { mode: 0o600 });
}
