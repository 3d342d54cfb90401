// What the node's journeys share: a database of their own, the controller backed by the node's
// storage provisioner, an organisation at one level, a system provisioned for it, and a pod spec
// that runs the probe image the node imported (platform registry, pinned by digest).

import { eventually, kubeClient, untilActive } from "@zhengyun/controller/testing/fixtures";
import { LOCAL_STORAGE_PROVISIONER } from "@zhengyun/infra/cluster/local-cluster";
import { probePodSpec } from "@zhengyun/infra/cluster/pods";
import { requestIn } from "@zhengyun/portal/test/harness";
import { inject } from "vitest";
import { controllerJourney } from "../controller/journey.js";

/** Call in a `describe` body: a controller journey (see ../controller/journey.ts) on the node. */
export async function onTheNode(level: 1 | 2 | 3 | 4) {
  const node = inject("node");
  const kube = kubeClient();
  const { database, org } = await controllerJourney({ org: { level }, config: { storageProvisioner: LOCAL_STORAGE_PROVISIONER } });

  return {
    node,
    kube,
    database,
    org,
    /** A system at the suite's level, provisioned by the controller, whose namespace can take pods. */
    async provision(vcpu: number) {
      const filed = await requestIn(org, "provisioning", { level, vcpu });
      await untilActive(database, filed.request.id);
      const namespace = filed.system.namespace;
      await eventually("the default service account", () => kube.core.readNamespacedServiceAccount({ name: "default", namespace }));
      return filed;
    },
    /** A pod spec the level's policies admit, its one container running the probe with `args`. */
    probePod: (args: string[]) => probePodSpec(node, level, args),
  };
}
