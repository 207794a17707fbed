/**
 * The in-process API: every write, from kubectl over HTTP or from a simulated controller, goes
 * through here and so obeys the same rules: normalise, default, validate, patch, managedFields,
 * admission, dry-run, then the store. The HTTP handlers only parse, call this and serialise.
 */

import { serverSideApply } from "../patch/index.js";
import { deepEqual } from "../patch/json-value.js";
import { recordUpdate } from "../patch/record-update.js";
import { crdResourceType } from "../registry/crd.js";
import { isCrdType } from "../registry/names.js";
import type { Registry } from "../registry/registry.js";
import { alreadyExists, badRequest, conflict, methodNotAllowed, notFound } from "../status.js";
import { rfc3339 } from "../store/objects.js";
import type { ListFilter, Store } from "../store/store.js";
import type { KubeObject, ResourceType } from "../types.js";
import { Admission, type AdmissionRequest, type ClusterReader } from "./admission.js";
import { changesObject } from "./changes.js";
import { refuseResourceVersionOnCreate, requireResourceVersionOnUpdate, resetStatusOnCreate, withoutResetFields } from "./create-rules.js";
import { applyCreateDefaults } from "./defaults.js";
import { evictPod } from "./eviction.js";
import { normaliseIncoming } from "./normalise.js";
import type { DeleteRequestOptions, PatchOptions, PatchType, WriteOptions } from "./options.js";
import { patchObject } from "./patch-object.js";
import { prepareWrite, pruneUnknown } from "./prepare.js";

/** A write's result: the object (stored, or as it would be for a dry run) and whether it was created. */
export interface WriteResult {
  object: KubeObject;
  created: boolean;
}

export class ObjectApi {
  readonly admission = new Admission();
  /** Read access for admission hooks: the same store, no rules. */
  readonly cluster: ClusterReader;

  constructor(
    readonly store: Store,
    readonly registry: Registry,
    private readonly clock: () => Date,
  ) {
    this.cluster = {
      tryGet: (apiVersion, kind, namespace, name) => {
        const type = registry.byKind(apiVersion, kind);
        return type ? store.tryGet(type, namespace, name) : undefined;
      },
      list: (apiVersion, kind, namespace) => {
        const type = registry.byKind(apiVersion, kind);
        return type ? store.list(type, namespace).items : [];
      },
    };
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    return this.store.get(type, namespace, name);
  }

  list(type: ResourceType, namespace: string | undefined, filter: ListFilter = {}): { items: KubeObject[]; resourceVersion: string } {
    return this.store.list(type, namespace, filter);
  }

  /** POST: a new object from a client's body. */
  create(type: ResourceType, namespace: string | undefined, body: Record<string, unknown>, options: WriteOptions): KubeObject {
    const now = this.now();
    const incoming = prepareWrite(type, resetStatusOnCreate(type, normaliseIncoming(type, body, namespace)), {
      ...options,
      creating: true,
    });
    if (isCrdType(type)) crdResourceType(incoming); // 422 for an invalid CRD, before defaults read its spec
    const object = applyCreateDefaults(type, incoming, now);
    object.metadata.managedFields = recordUpdate(undefined, object, options.fieldManager, { now });
    this.admit("CREATE", type, object, undefined, options);
    if (options.dryRun) return this.previewCreate(type, namespace, object);
    refuseResourceVersionOnCreate(object);
    return this.store.create(type, namespace, object);
  }

  /** PUT: replaces an object (or its status) with a client's body. */
  update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: Record<string, unknown>,
    options: WriteOptions,
  ): KubeObject {
    const next = prepareWrite(type, normaliseIncoming(type, body, namespace, name), { ...options, creating: false });
    requireResourceVersionOnUpdate(type, next);
    const live = this.store.get(type, namespace, name);
    if (isCrdType(type)) crdResourceType(next);
    return this.write(type, live, next, options);
  }

  /** PATCH in one of the four types; server-side apply creates a missing object. */
  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    patch: unknown,
    options: PatchOptions,
  ): WriteResult {
    if (patchType === "apply") return this.apply(type, namespace, name, patch, options);
    const live = this.store.get(type, namespace, name);
    const next = prepareWrite(type, patchObject(type, live, patchType, patch), { ...options, creating: false });
    if (isCrdType(type)) crdResourceType(next);
    return { object: this.write(type, live, next, options), created: false };
  }

  /** DELETE of one object: removed, or marked for deletion while finalizers or a grace period hold it. */
  delete(type: ResourceType, namespace: string | undefined, name: string, options: DeleteRequestOptions = {}): KubeObject {
    const live = this.store.get(type, namespace, name);
    const { uid, resourceVersion } = options.preconditions ?? {};
    const preconditionFails = (uid && uid !== live.metadata.uid) || (resourceVersion && resourceVersion !== live.metadata.resourceVersion);
    // A real delete checks preconditions in the store; a dry run never gets there.
    if (options.dryRun && preconditionFails) throw conflict(type, name);
    this.admission.run(this.request("DELETE", type, undefined, live, { dryRun: options.dryRun ?? false }));
    if (options.dryRun) return live;
    return this.store.delete(type, namespace, name, {
      ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
      ...(options.preconditions ? { preconditions: options.preconditions } : {}),
    }).object;
  }

  /** DELETE of a collection: what the filter matches, each deleted as by delete(); 405 where the type has no deletecollection. */
  deleteCollection(
    type: ResourceType,
    namespace: string | undefined,
    filter: ListFilter,
    options: DeleteRequestOptions = {},
  ): KubeObject[] {
    if (!type.verbs.includes("deletecollection")) throw methodNotAllowed("DELETE");
    const { preconditions: _ignored, ...each } = options;
    return this.store
      .list(type, namespace, filter)
      .items.map((item) => this.delete(type, item.metadata.namespace, item.metadata.name as string, each));
  }

  /** POST pods/<name>/eviction: a delete a PodDisruptionBudget may refuse (429). */
  evict(type: ResourceType, namespace: string, name: string, eviction: Record<string, unknown>, options: { dryRun?: boolean } = {}): void {
    evictPod(this, type, namespace, name, eviction, options.dryRun ?? false, this.clock());
  }

  /** Stores `next` over `live` with managedFields brought up to date; a no-op keeps the resourceVersion. */
  private write(type: ResourceType, live: KubeObject, next: KubeObject, options: WriteOptions): KubeObject {
    const { subresource } = options;
    const object: KubeObject = { ...next, metadata: { ...next.metadata, managedFields: live.metadata.managedFields } };
    if (!object.metadata.managedFields) delete object.metadata.managedFields;
    // Managed fields sent with a main-resource write replace the stored ones (kubectl's client-side to server-side apply migration).
    const sent = next.metadata.managedFields;
    const sentOwnership = !subresource && sent !== undefined && !deepEqual(sent, live.metadata.managedFields ?? []);
    if (sentOwnership || changesObject(type, live, next, subresource)) {
      object.metadata.managedFields = recordUpdate(live, next, options.fieldManager, {
        now: this.now(),
        ...(subresource ? { subresource } : {}),
      });
    }
    this.admit("UPDATE", type, object, live, options);
    if (options.dryRun) return object;
    return this.store.update(
      type,
      live.metadata.namespace,
      live.metadata.name as string,
      object,
      subresource ? { subresource } : undefined,
    );
  }

  /** Server-side apply: creates when absent; conflicts unless `force`. */
  private apply(type: ResourceType, namespace: string | undefined, name: string, body: unknown, options: PatchOptions): WriteResult {
    if (body === null || typeof body !== "object" || Array.isArray(body))
      throw badRequest("error decoding YAML: the applied configuration is not an object");
    const { subresource } = options;
    const config = normaliseIncoming(type, body as Record<string, unknown>, namespace, name);
    const applied = withoutResetFields(type, pruneUnknown(type, config, options), subresource);
    const live = this.store.tryGet(type, namespace, name);
    const now = this.now();
    const result = serverSideApply(live, applied, options.fieldManager, {
      force: options.force ?? false,
      now,
      ...(subresource ? { subresource } : {}),
    });
    if (isCrdType(type)) crdResourceType(result);
    const prepared = prepareWrite(type, result, { creating: !live });
    if (!live) {
      const object = applyCreateDefaults(type, prepared, now);
      this.admit("CREATE", type, object, undefined, options);
      return { object: options.dryRun ? object : this.store.create(type, namespace, object), created: true };
    }
    // Re-applying the same configuration changes nothing, not even the managedFields timestamps.
    if (!changesObject(type, live, prepared, subresource) && deepEqual(withoutTimes(live), withoutTimes(prepared)))
      return { object: live, created: false };
    this.admit("UPDATE", type, prepared, live, options);
    if (options.dryRun) return { object: prepared, created: false };
    return { object: this.store.update(type, namespace, name, prepared, subresource ? { subresource } : undefined), created: false };
  }

  /** What a create would store, checked like a real one but not persisted (`dryRun=All`). */
  private previewCreate(type: ResourceType, namespace: string | undefined, object: KubeObject): KubeObject {
    const name = object.metadata.name;
    if (name && this.store.tryGet(type, namespace, name)) throw alreadyExists(type, name);
    if (type.namespaced && namespace !== undefined) {
      const namespaces = this.registry.lookup("", "v1", "namespaces");
      if (namespaces && !this.store.tryGet(namespaces, undefined, namespace)) throw notFound(namespaces, namespace);
    }
    return {
      ...object,
      metadata: {
        ...object.metadata,
        uid: crypto.randomUUID(),
        creationTimestamp: this.now(),
        ...(type.withoutGeneration ? {} : { generation: 1 }),
      },
    };
  }

  private admit(
    operation: "CREATE" | "UPDATE",
    type: ResourceType,
    object: KubeObject,
    old: KubeObject | undefined,
    options: WriteOptions,
  ): void {
    this.admission.run(
      this.request(operation, type, object, old, {
        dryRun: options.dryRun ?? false,
        ...(options.subresource ? { subresource: options.subresource } : {}),
      }),
    );
  }

  private request(
    operation: AdmissionRequest["operation"],
    type: ResourceType,
    object: KubeObject | undefined,
    old: KubeObject | undefined,
    extra: { dryRun: boolean; subresource?: string },
  ): AdmissionRequest {
    const meta = (object ?? old)?.metadata ?? {};
    return {
      operation,
      type,
      namespace: type.namespaced ? meta.namespace : undefined,
      name: meta.name ?? "",
      ...(object ? { object } : {}),
      ...(old ? { oldObject: old } : {}),
      ...extra,
      cluster: this.cluster,
    };
  }

  private now(): string {
    return rfc3339(this.clock());
  }
}

function withoutTimes(object: KubeObject): unknown {
  return (object.metadata.managedFields ?? []).map(({ time: _time, ...entry }) => entry);
}
