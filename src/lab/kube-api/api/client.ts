/**
 * The typed client simulated controllers (kubelet, Longhorn, Flux) write through: the same API layer
 * as kubectl's requests, so a controller's write is defaulted, validated, admitted and recorded in
 * managedFields under its own field manager, and can be refused like anyone's.
 */

import { parseFieldSelector, parseLabelSelector } from "../selectors/index.js";
import { notFound } from "../status.js";
import type { KubeObject, ResourceType } from "../types.js";
import type { ObjectApi } from "./object-api.js";
import type { DeleteRequestOptions } from "./options.js";

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/** One kind, addressed by name (and namespace for namespaced kinds). */
export interface ResourceClient<T extends KubeObject> {
  get(name: string, namespace?: string): T;
  tryGet(name: string, namespace?: string): T | undefined;
  list(namespace?: string, options?: ListOptions): T[];
  create(object: T): T;
  /** Replaces the object (its metadata.resourceVersion guards against lost updates). */
  update(object: T): T;
  /** Replaces the status only (the status subresource). */
  updateStatus(object: T): T;
  /** JSON merge patch (`null` deletes a field). */
  patch(name: string, namespace: string | undefined, patch: Record<string, unknown>, options?: { subresource?: "status" }): T;
  /** Server-side apply of a partial object this controller owns. */
  apply(object: Partial<T> & Pick<KubeObject, "metadata">, options?: { force?: boolean; subresource?: "status" }): T;
  delete(name: string, namespace?: string, options?: DeleteRequestOptions): T;
}

export class KubeClient {
  constructor(
    private readonly api: ObjectApi,
    /** The field manager every write of this client is recorded under. */
    readonly fieldManager: string,
  ) {}

  /** A client for one kind; the kind is resolved on each call, so a CRD registered later is found. */
  resource<T extends KubeObject = KubeObject>(apiVersion: string, kind: string): ResourceClient<T> {
    const api = this.api;
    const fieldManager = this.fieldManager;
    const type = (): ResourceType => {
      const found = api.registry.byKind(apiVersion, kind);
      if (!found) throw notFound({ group: "", resource: `${kind} ${apiVersion}` }, "(no such kind)");
      return found;
    };
    const ns = (t: ResourceType, namespace: string | undefined) => (t.namespaced ? namespace : undefined);
    const body = (object: Partial<KubeObject>) => ({ apiVersion, kind, ...object }) as Record<string, unknown>;
    return {
      get: (name, namespace) => api.get(type(), ns(type(), namespace), name) as T,
      tryGet: (name, namespace) => api.store.tryGet(type(), ns(type(), namespace), name) as T | undefined,
      list: (namespace, options = {}) => {
        const t = type();
        const labels = options.labelSelector ? parseLabelSelector(options.labelSelector) : undefined;
        const fields = options.fieldSelector
          ? parseFieldSelector(options.fieldSelector, t.fieldSelectors, { custom: t.custom })
          : undefined;
        return api.list(t, ns(t, namespace), { ...(labels ? { labels } : {}), ...(fields ? { fields } : {}) }).items as T[];
      },
      create: (object) => api.create(type(), ns(type(), object.metadata.namespace), body(object), { fieldManager }) as T,
      update: (object) =>
        api.update(type(), ns(type(), object.metadata.namespace), object.metadata.name ?? "", body(object), { fieldManager }) as T,
      updateStatus: (object) =>
        api.update(type(), ns(type(), object.metadata.namespace), object.metadata.name ?? "", body(object), {
          fieldManager,
          subresource: "status",
        }) as T,
      patch: (name, namespace, patch, options = {}) =>
        api.patch(type(), ns(type(), namespace), name, "merge", patch, { fieldManager, ...options }).object as T,
      apply: (object, options = {}) =>
        api.patch(type(), ns(type(), object.metadata.namespace), object.metadata.name ?? "", "apply", body(object), {
          fieldManager,
          ...options,
        }).object as T,
      delete: (name, namespace, options) => api.delete(type(), ns(type(), namespace), name, options) as T,
    };
  }
}
