// Reads the live counterparts of desired objects from the API server.

import * as k8s from "@kubernetes/client-node";
import { ObjectSerializer } from "@kubernetes/client-node/dist/serializer.js";
import { type KubeObject, objectKey } from "@zhengyun/infra/components/objects";

export function objectApi(kc: k8s.KubeConfig): k8s.KubernetesObjectApi {
  return k8s.KubernetesObjectApi.makeApiClient(kc);
}

/**
 * The client hands back model classes (`from` becomes `_from`, timestamps become Dates); turn one
 * back into the JSON the API server sent, which is what desired objects are written in.
 */
function plain(desired: KubeObject, live: k8s.KubernetesObject): KubeObject {
  return ObjectSerializer.serialize(live, modelType(desired)) as KubeObject;
}

/** The client's model class name of an object, e.g. `V1NetworkPolicy`. */
function modelType(object: Pick<KubeObject, "apiVersion" | "kind">): string {
  const version = object.apiVersion.split("/").pop() ?? "v1";
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${object.kind}`;
}

/** The model instance the client expects from a plain JSON object (the inverse of `plain`). */
export function toModel(object: KubeObject): k8s.KubernetesObject {
  return ObjectSerializer.deserialize(object, modelType(object)) as k8s.KubernetesObject;
}

function notFound(err: unknown): boolean {
  return (err as { code?: number }).code === 404;
}

/** The live object for each desired one (undefined where it does not exist), keyed by objectKey. */
export async function readLive(api: k8s.KubernetesObjectApi, desired: readonly KubeObject[]): Promise<Map<string, KubeObject | undefined>> {
  const entries = await Promise.all(
    desired.map(async (object) => {
      try {
        const live = await api.read({
          apiVersion: object.apiVersion,
          kind: object.kind,
          metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
        } as k8s.KubernetesObject & { metadata: { name: string } });
        return [objectKey(object), plain(object, live)] as const;
      } catch (err) {
        if (notFound(err)) return [objectKey(object), undefined] as const;
        throw err;
      }
    }),
  );
  return new Map(entries);
}
