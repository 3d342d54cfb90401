import {
  ApiException,
  createConfiguration,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type RequestContext,
  type ResponseContext,
  ServerConfiguration,
} from "@kubernetes/client-node";
import type { KubeObject } from "../model/k8s.js";

/**
 * A generic object client that sends and returns objects as plain JSON. The
 * stock client maps bodies through its generated model classes, which drop
 * fields it does not know; policies must round-trip exactly.
 */
class RawObjectApi extends KubernetesObjectApi {
  protected override async getSerializationType(): Promise<string> {
    return "any";
  }

  /** Share resource discovery with another client, so a per-request client does not rediscover. */
  shareDiscovery(from: RawObjectApi): this {
    this.apiVersionResourceCache = from.apiVersionResourceCache;
    return this;
  }
}

/** The texts of `Warning: 299 - "…"` response headers (several may be joined by commas). */
export function parseWarnings(header: string | undefined): string[] {
  if (!header) return [];
  return [...header.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? "").replaceAll('\\"', '"'));
}

export const FIELD_MANAGER = "zhengyun-policies";

/** Load a kubeconfig: the given path, else $KUBECONFIG, else the default locations. */
export function loadKubeConfig(path: string | undefined = process.env.KUBECONFIG): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  return kc;
}

/** The message of an API error (a Status object's `message`), else the error's own text. */
export function apiErrorMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body: unknown = error.body;
    if (typeof body === "string") {
      try {
        const parsed = JSON.parse(body) as { message?: unknown };
        if (typeof parsed.message === "string") return parsed.message;
      } catch {
        return body;
      }
      return body;
    }
    if (body && typeof body === "object" && "message" in body && typeof body.message === "string") return body.message;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function apiErrorCode(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** Plain JSON copy (client metadata comes back as model instances with Dates). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Drop server-set metadata that the client would have to re-encode as dates
 * (timestamps, managed fields); the server ignores or recomputes them.
 */
function sendable(object: KubeObject): KubeObject {
  const { creationTimestamp: _c, deletionTimestamp: _d, managedFields: _m, ...metadata } = object.metadata as KubeObject["metadata"] & Record<string, unknown>;
  return { ...object, metadata };
}

export interface ObjectHeader {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** The small set of verbs this package needs, on plain JSON objects. */
export class Kube {
  private readonly api: RawObjectApi;

  constructor(readonly config: KubeConfig) {
    this.api = config.makeApiClient(RawObjectApi);
  }

  /** Server-side apply, taking ownership of the fields this package manages. */
  async apply(object: KubeObject): Promise<KubeObject> {
    return plain(await this.api.patch(sendable(object), undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply));
  }

  /** Create with server-side dry run: every admission stage runs, nothing is stored. */
  async dryRunCreate(object: KubeObject): Promise<KubeObject> {
    return (await this.dryRunCreateWithWarnings(object)).object;
  }

  /** Dry-run create, also returning the warnings the API server sent (e.g. Pod Security "would violate"). */
  async dryRunCreateWithWarnings(object: KubeObject): Promise<{ object: KubeObject; warnings: string[] }> {
    const warnings: string[] = [];
    const api = this.clientWithMiddleware({
      pre: async (context: RequestContext) => context,
      post: async (response: ResponseContext) => {
        warnings.push(...parseWarnings(response.headers.warning));
        return response;
      },
    });
    const created = plain(await api.create(sendable(object), undefined, "All", FIELD_MANAGER));
    return { object: created, warnings };
  }

  private clientWithMiddleware(middleware: {
    pre(c: RequestContext): Promise<RequestContext>;
    post(r: ResponseContext): Promise<ResponseContext>;
  }): RawObjectApi {
    const cluster = this.config.getCurrentCluster();
    if (!cluster) throw new Error("kubeconfig has no current cluster");
    const configuration = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: this.config },
      promiseMiddleware: [middleware],
    });
    return new RawObjectApi(configuration).shareDiscovery(this.api);
  }

  /** Read one object; undefined when it does not exist. */
  async read(header: ObjectHeader): Promise<KubeObject | undefined> {
    const metadata: { name: string; namespace?: string } = { name: header.name };
    if (header.namespace !== undefined) metadata.namespace = header.namespace;
    try {
      return plain((await this.api.read({ apiVersion: header.apiVersion, kind: header.kind, metadata })) as KubeObject);
    } catch (error) {
      if (apiErrorCode(error) === 404) return undefined;
      throw error;
    }
  }

  async list(apiVersion: string, kind: string, options: { namespace?: string; labelSelector?: string } = {}): Promise<KubeObject[]> {
    const list = await this.api.list(apiVersion, kind, options.namespace, undefined, undefined, undefined, undefined, options.labelSelector);
    // Items of a list carry no apiVersion/kind of their own.
    return plain(list.items as KubeObject[]).map((item) => ({ ...item, apiVersion, kind }));
  }

  async delete(header: ObjectHeader): Promise<void> {
    const metadata: { name: string; namespace?: string } = { name: header.name };
    if (header.namespace !== undefined) metadata.namespace = header.namespace;
    try {
      await this.api.delete({ apiVersion: header.apiVersion, kind: header.kind, metadata }, undefined, undefined, undefined, undefined, "Background");
    } catch (error) {
      if (apiErrorCode(error) !== 404) throw error;
    }
  }

  /**
   * Replace an object: healing writes back what server-side apply could not restore, guarded by
   * the resourceVersion it read (tests also use it to tamper with objects).
   */
  async replace(object: KubeObject, fieldManager: string = FIELD_MANAGER): Promise<KubeObject> {
    return plain(await this.api.replace(sendable(object), undefined, undefined, fieldManager));
  }
}
