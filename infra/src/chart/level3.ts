// A level 3 information system's namespace on the local control plane, enforced by the platform's
// own catalog: the namespace, quotas and LimitRange from compileTenant (Pod Security "restricted"),
// and private copies of the catalog's ValidatingAdmissionPolicies from compileBaseline.
//
// Why copies: admission policies and their parameters are cluster-wide, and other test files share
// this cluster. The copies carry the catalog's CEL and per-level parameters unchanged; only their
// names end in this run's id, their parameters live in this run's namespace, and their bindings
// select only namespaces labelled with this run's id. Nothing another test applies or deletes can
// change what judges the chart here, and these copies judge nothing else.

import { compileBaseline, compileTenant, DEDICATED_TAINT_KEY, type KubeObject, MANAGED_BY_LABEL, refusalTag, SYSTEM_NAMESPACE } from "@zhengyun/policies";
import { apiErrorMessage, Kube, loadKubeConfig, waitForNamespaceReady } from "@zhengyun/policies/kube";
import { find, type Manifest, podTemplate } from "./helm.js";
import { eventually } from "./run.js";

export const RUN_LABEL = "zhengyun.gov.cn/chart-test";
const OWNER = "zhengyun-chart-test";

interface Binding {
  spec: {
    policyName: string;
    paramRef?: { namespace: string };
    matchResources: { namespaceSelector: { matchExpressions: { key: string; operator: string; values?: string[] }[] } };
  };
}

function relabel(object: KubeObject, id: string, name = object.metadata.name, namespace = object.metadata.namespace): KubeObject {
  const metadata: KubeObject["metadata"] = { name, labels: { ...object.metadata.labels, [MANAGED_BY_LABEL]: OWNER, [RUN_LABEL]: id } };
  if (namespace !== undefined) metadata.namespace = namespace;
  return { ...structuredClone(object), metadata };
}

/** The catalog's admission policies, renamed and scoped to namespaces labelled with `id`. */
export function privatePolicies(id: string, paramsNamespace: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const object of compileBaseline()) {
    if (object.kind === "ValidatingAdmissionPolicy") {
      out.push(relabel(object, id, `${object.metadata.name}-${id}`));
    } else if (object.kind === "ValidatingAdmissionPolicyBinding") {
      const copy = relabel(object, id, `${object.metadata.name}-${id}`) as KubeObject & Binding;
      copy.spec.policyName = `${copy.spec.policyName}-${id}`;
      copy.spec.matchResources.namespaceSelector.matchExpressions.push({ key: RUN_LABEL, operator: "In", values: [id] });
      if (copy.spec.paramRef) copy.spec.paramRef.namespace = paramsNamespace;
      out.push(copy);
    } else if (object.kind === "ConfigMap" && object.metadata.namespace === SYSTEM_NAMESPACE) {
      out.push(relabel(object, id, object.metadata.name, paramsNamespace));
    }
  }
  return out;
}

export interface Level3 {
  namespace: string;
  kube: Kube;
  /** Objects created for it, in creation order (deleted in reverse by `cleanup`). */
  created: KubeObject[];
  cleanup(): Promise<void>;
}

/** Creates the level 3 system namespace `zy-chart-l3-<id>` and the policies that judge it. */
export async function level3System(kubeconfig: string, id: string): Promise<Level3> {
  const kube = new Kube(loadKubeConfig(kubeconfig));
  const paramsNamespace = `zy-chart-params-${id}`;
  const system = `zy-chart-l3-${id}`;
  const tenant = compileTenant({
    system,
    department: "platform",
    level: 3,
    zone: "internal",
    quota: { cpu: "16", memory: "32Gi", pods: 50 },
    now: new Date(),
  });
  const created: KubeObject[] = [];
  const apply = async (object: KubeObject) => {
    created.push(object);
    await kube.apply(object);
  };
  const result: Level3 = {
    namespace: tenant.namespace,
    kube,
    created,
    async cleanup() {
      for (const object of [...created].reverse()) {
        if (object.metadata.namespace) continue; // deleted with their namespace
        await kube.delete({ apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name });
      }
    },
  };
  await apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: paramsNamespace, labels: { [RUN_LABEL]: id } } });
  for (const object of tenant.objects) await apply(relabel(object, id));
  // Parameters before the bindings that reference them (a binding without its parameters denies everything).
  const policies = privatePolicies(id, paramsNamespace);
  const order = (o: KubeObject) => ["ConfigMap", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"].indexOf(o.kind);
  for (const object of policies.sort((a, b) => order(a) - order(b))) await apply(object);
  await waitForNamespaceReady(kube, tenant.namespace, 120_000);
  return result;
}

/** A deployment or pod, changed in one way that one control of level 3 must refuse. */
export interface Deviation {
  control: string;
  /** What the API server's refusal contains. */
  refusal: string;
  /**
   * Another control that refuses the same change (host access also breaks the level's Pod Security
   * profile, now judged on templates too); the API server names whichever policy it evaluated first.
   */
  alsoRefusal?: string;
  change: (spec: ReturnType<typeof podTemplate>["spec"]) => void;
}

const OTHER_REGISTRY_IMAGE = `docker.io/library/node@sha256:${"0".repeat(64)}`;

export const DEVIATIONS: Deviation[] = [
  {
    control: "registry-allowlist",
    refusal: refusalTag("registry-allowlist"),
    change: (spec) => {
      spec.containers[0]!.image = OTHER_REGISTRY_IMAGE;
    },
  },
  {
    control: "digest-pinning",
    refusal: refusalTag("digest-pinning"),
    change: (spec) => {
      spec.containers[0]!.image = spec.containers[0]!.image.replace(/@sha256:[0-9a-f]{64}$/, "");
    },
  },
  {
    control: "non-root-readonly",
    refusal: refusalTag("non-root-readonly"),
    change: (spec) => {
      spec.containers[0]!.securityContext = { ...spec.containers[0]!.securityContext, readOnlyRootFilesystem: false };
    },
  },
  {
    control: "resource-limits",
    refusal: refusalTag("resource-limits"),
    change: (spec) => {
      spec.containers[0]!.resources = { requests: spec.containers[0]!.resources?.requests };
    },
  },
  {
    control: "no-host-access",
    refusal: refusalTag("no-host-access"),
    alsoRefusal: 'violates PodSecurity "restricted:v1.34": host namespaces',
    change: (spec) => {
      spec.hostNetwork = true;
    },
  },
  {
    control: "dedicated-nodes",
    refusal: refusalTag("dedicated-nodes"),
    change: (spec) => {
      spec.tolerations = [{ key: DEDICATED_TAINT_KEY, operator: "Exists", effect: "NoSchedule" }];
    },
  },
];

/** The portal Deployment with one deviation, renamed so it never meets the real one. */
export function deviate(objects: readonly Manifest[], deviation: Deviation): Manifest {
  const deployment = structuredClone(find(objects, "Deployment", "zhengyun-portal"));
  deployment.metadata.name = `deviation-${deviation.control}`;
  deviation.change(podTemplate(deployment).spec);
  return deployment;
}

/** A Pod from a workload's template: what the ReplicaSet or Job controller would create. */
export function podOf(workload: Manifest, namespace: string): KubeObject {
  const template = podTemplate(workload);
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `${workload.metadata.name}-pod`, namespace, labels: template.metadata.labels ?? {} },
    spec: structuredClone(template.spec),
  };
}

/** Server-side dry-run create: undefined when admitted, else the API server's message. */
export async function refusalOf(kube: Kube, object: KubeObject): Promise<string | undefined> {
  try {
    await kube.dryRunCreate(object);
    return undefined;
  } catch (err) {
    return apiErrorMessage(err);
  }
}

/** Waits until every deviation is refused by its control: the private policies are in force. */
export async function waitUntilEnforced(kube: Kube, objects: readonly Manifest[], namespace: string): Promise<void> {
  for (const deviation of DEVIATIONS) {
    const deployment = deviate(objects, deviation);
    deployment.metadata.namespace = namespace;
    let last: string | undefined;
    await eventually(
      `the ${deviation.control} policy to refuse a deviating Deployment in ${namespace}`,
      async () => {
        last = await refusalOf(kube, deployment as KubeObject);
        if (last?.includes(deviation.refusal) || (deviation.alsoRefusal && last?.includes(deviation.alsoRefusal))) return true;
        throw new Error(last === undefined ? "admitted" : `refused otherwise: ${last}`);
      },
      90_000,
    );
  }
}
