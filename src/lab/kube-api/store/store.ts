/**
 * The emulator's object store: what etcd plus the generic registry are to a real API server.
 * Synchronous and in memory; every write gets the next resourceVersion, is kept in a bounded
 * history for watch resumption, and is then delivered to watches and to onChange hooks, in order.
 */

import { randomUUID } from "node:crypto";
import { clone, deepEqual, deepFreeze } from "../patch/json-value.js";
import { apiVersionOf, groupKind, isNamespaceType, isPodType } from "../registry/names.js";
import { ApiError, alreadyExists, badRequest, conflict, invalid, listExpired, notFound, qualifiedName } from "../status.js";
import type { KubeObject, ResourceType, WatchEvent } from "../types.js";
import { checkPreconditions, type DeleteOptions, gracePeriodFor, hasFinalizers, recordedGracePeriod } from "./deletion.js";
import { ChangeFeed, type ListenerErrorSink, type StoreChange } from "./feed.js";
import { EventHistory, type HistoryEntry, parseResourceVersion } from "./history.js";
import { compareByNamespaceAndName, objectKey, randomSuffix, rfc3339, typeKey } from "./objects.js";
import { objectsAt } from "./snapshot.js";
import { checkIdentity, nextForUpdate } from "./update.js";
import { type ListFilter, matches, Watcher } from "./watch.js";

export type { DeleteOptions } from "./deletion.js";
export type { StoreChange } from "./feed.js";
export type { ListFilter } from "./watch.js";

/** How a store keeps time and history. */
export interface StoreOptions {
  /** Source of creation and deletion timestamps; defaults to the wall clock. */
  clock?: () => Date;
  /** Watch events kept for resume; older resourceVersions get 410. Default 1000. */
  historyLimit?: number;
  /** How often a watch with `allowBookmarks` gets a BOOKMARK. Default 60 s, as the real watch cache. */
  bookmarkIntervalMs?: number;
  /** Told when an onChange hook or a watch consumer throws; defaults to a process warning. The store carries on. */
  onListenerError?: ListenerErrorSink;
}

/** Where a watch starts and what it sees. */
export interface WatchOptions extends ListFilter {
  /** Absent or "": changes from now on. "0": ADDED for every current object, then changes. Else: changes after it. */
  resourceVersion?: string;
  allowBookmarks?: boolean;
  /** When the watch will end (timeoutSeconds), in ms from now: a bookmark comes 2 s before. */
  deadlineMs?: number;
  /** sendInitialEvents=true: ADDED for every current object, then a BOOKMARK marking their end. */
  sendInitialEvents?: boolean;
}

/** The result of a delete: `removed` is false while finalizers or a grace period keep the object. */
export interface DeleteResult {
  object: KubeObject;
  removed: boolean;
}

interface Bucket {
  type: ResourceType;
  objects: Map<string, KubeObject>;
}

const namespacesResource = { group: "", resource: "namespaces" };
const defaultHistoryLimit = 1000;
/** The real watch cache sends a bookmark about once a minute. */
const defaultBookmarkIntervalMs = 60_000;
/** Attempts at a free generated name before giving up with AlreadyExists. */
const generateNameAttempts = 8;

/** An in-memory Kubernetes object store with real create/update/delete/watch semantics. */
export class Store {
  private readonly clock: () => Date;
  private readonly bookmarkIntervalMs: number;
  private readonly onListenerError: ListenerErrorSink;
  private readonly buckets = new Map<string, Bucket>();
  private readonly history: EventHistory;
  private readonly feed: ChangeFeed;
  /** How many namespaced objects each namespace holds, so a terminating namespace knows when it is empty. */
  private readonly namespaceContent = new Map<string, number>();
  /** Namespaces whose content is being deleted right now; their removal waits for the end of the cascade. */
  private readonly cascading = new Set<string>();
  private current = 1;

  constructor(options: StoreOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? defaultBookmarkIntervalMs;
    this.onListenerError =
      options.onListenerError ??
      ((error, context) =>
        process.emitWarning(`${context}: ${error instanceof Error ? error.message : String(error)}`, "StoreListenerError"));
    this.feed = new ChangeFeed(this.onListenerError);
    this.history = new EventHistory(options.historyLimit ?? defaultHistoryLimit, this.current);
  }

  /** One increasing resourceVersion across all objects, as a decimal string. */
  resourceVersion(): string {
    return String(this.current);
  }

  /** A deep copy of one object; 404 with the real message when it does not exist. */
  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.tryGet(type, namespace, name);
    if (!found) throw notFound(type, name);
    return found;
  }

  tryGet(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    if (type.storedAs) return mapDefined(this.tryGet(type.storedAs.type, namespace, name), type.storedAs.fromStored);
    const found = this.bucket(type).objects.get(objectKey(scope(type, namespace), name));
    return found ? clone(found) : undefined;
  }

  /** Objects in a namespace (undefined = all namespaces) passing the filter, sorted by namespace then name. */
  list(type: ResourceType, namespace: string | undefined, filter: ListFilter = {}): { items: KubeObject[]; resourceVersion: string } {
    if (type.storedAs) {
      const { fromStored } = type.storedAs;
      const fields = filter.fields;
      const list = this.list(type.storedAs.type, namespace, { ...filter, ...(fields ? { fields: (o) => fields(fromStored(o)) } : {}) });
      return { ...list, items: list.items.map(fromStored) };
    }
    const selected: KubeObject[] = [];
    const wanted = scope(type, namespace);
    for (const object of this.bucket(type).objects.values()) if (matches(object, wanted, filter)) selected.push(object);
    selected.sort(compareByNamespaceAndName);
    return { items: selected.map(clone), resourceVersion: this.resourceVersion() };
  }

  /**
   * The list as it was at `resourceVersion` (etcd's read at a revision): 410 Expired when that
   * revision was compacted, 504 when it is in the future. Its resourceVersion is the one asked for.
   */
  listAt(
    type: ResourceType,
    namespace: string | undefined,
    resourceVersion: number,
    filter: ListFilter = {},
  ): { items: KubeObject[]; resourceVersion: string } {
    this.checkResourceVersion(String(resourceVersion));
    if (resourceVersion < this.history.oldest) throw listExpired();
    if (type.storedAs) {
      const { fromStored } = type.storedAs;
      const fields = filter.fields;
      const list = this.listAt(type.storedAs.type, namespace, resourceVersion, {
        ...filter,
        ...(fields ? { fields: (o) => fields(fromStored(o)) } : {}),
      });
      return { ...list, items: list.items.map(fromStored) };
    }
    const key = typeKey(type);
    const newer = this.history.kept(resourceVersion).filter((entry) => entry.typeKey === key);
    const wanted = scope(type, namespace);
    const selected = [...objectsAt(this.bucket(type).objects, newer).values()].filter((object) => matches(object, wanted, filter));
    selected.sort(compareByNamespaceAndName);
    return { items: selected.map(clone), resourceVersion: String(resourceVersion) };
  }

  /** The oldest resourceVersion a list or watch can still start from. */
  oldestResourceVersion(): number {
    return this.history.oldest;
  }

  /**
   * Forgets the history up to `upTo` (default: now), as etcd's periodic compaction does: lists at an
   * older resourceVersion answer 410 and watches from one get a 410 ERROR. Drills use it to make
   * informers relist (client-go reflectors, Flux's controllers, `kubectl get -w` resuming).
   */
  compact(upTo: number = this.current): void {
    this.history.compact(Math.min(upTo, this.current));
  }

  /** Creates an object, assigning uid, resourceVersion, creationTimestamp and generation; `object` is not modified. */
  create(type: ResourceType, namespace: string | undefined, object: KubeObject): KubeObject {
    if (type.storedAs) return type.storedAs.fromStored(this.create(type.storedAs.type, namespace, type.storedAs.toStored(object)));
    return this.feed.batch(() => {
      const bucket = this.bucket(type);
      const next = clone(object);
      next.metadata = next.metadata ?? {};
      const targetNamespace = this.namespaceForCreate(type, namespace, next);
      const name = next.metadata.name || this.generatedName(bucket, targetNamespace, next.metadata.generateName);
      if (!name) {
        throw invalid(groupKind(type), "", [
          { reason: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" },
        ]);
      }
      if (targetNamespace !== undefined && !isNamespaceType(type)) this.requireOpenNamespace(type, targetNamespace, name);
      const key = objectKey(targetNamespace, name);
      if (bucket.objects.has(key)) throw alreadyExists(type, name);
      this.fillSystemFields(type, next, name, targetNamespace);
      next.metadata.uid = randomUUID();
      next.metadata.creationTimestamp = rfc3339(this.clock());
      if (type.withoutGeneration) delete next.metadata.generation;
      else next.metadata.generation = 1;
      delete next.metadata.deletionTimestamp;
      delete next.metadata.deletionGracePeriodSeconds;
      if (isNamespaceType(type)) next.status = { phase: "Active", ...(next.status as object | undefined) };
      return clone(this.commit(bucket, key, next, "ADDED"));
    });
  }

  /**
   * Replaces an object. A stale `metadata.resourceVersion` is a 409; none means unconditional. An update
   * that changes nothing returns the stored object with its resourceVersion unchanged and emits nothing.
   */
  update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    object: KubeObject,
    options: { subresource?: "status" } = {},
  ): KubeObject {
    if (type.storedAs)
      return type.storedAs.fromStored(this.update(type.storedAs.type, namespace, name, type.storedAs.toStored(object), options));
    return this.feed.batch(() => {
      const bucket = this.bucket(type);
      const key = objectKey(scope(type, namespace), name);
      const stored = bucket.objects.get(key);
      if (!stored) throw notFound(type, name);
      checkIdentity(type, scope(type, namespace), name, object);
      const expected = object.metadata?.resourceVersion;
      if (expected && expected !== stored.metadata.resourceVersion) throw conflict(type, name);
      const next = nextForUpdate(type, stored, object, options.subresource);
      if (deepEqual(next, stored)) return clone(stored);
      if (next.metadata.deletionTimestamp && this.removable(bucket, key, next)) {
        return clone(this.commitRemoval(bucket, key, next, stored));
      }
      return clone(this.commit(bucket, key, next, "MODIFIED", stored));
    });
  }

  /**
   * Deletes an object: removed now, or marked with a deletionTimestamp while finalizers (or a running
   * pod's grace period) keep it. A grace period of 0 never bypasses finalizers.
   */
  delete(type: ResourceType, namespace: string | undefined, name: string, options: DeleteOptions = {}): DeleteResult {
    if (type.storedAs) {
      const result = this.delete(type.storedAs.type, namespace, name, options);
      return { ...result, object: type.storedAs.fromStored(result.object) };
    }
    return this.feed.batch(() => {
      const bucket = this.bucket(type);
      const key = objectKey(scope(type, namespace), name);
      const stored = bucket.objects.get(key);
      if (!stored) throw notFound(type, name);
      checkPreconditions(type, stored, options.preconditions);
      if (isNamespaceType(type)) return this.deleteNamespace(bucket, key, stored);
      return this.deleteObject(bucket, key, stored, options);
    });
  }

  /** Streams changes as watch events; throws 410 Gone when `resourceVersion` is older than the history. */
  watch(type: ResourceType, namespace: string | undefined, options: WatchOptions, onEvent: (event: WatchEvent) => void): { stop(): void } {
    if (type.storedAs) {
      const { fromStored } = type.storedAs;
      const fields = options.fields;
      return this.watch(
        type.storedAs.type,
        namespace,
        { ...options, ...(fields ? { fields: (o) => fields(fromStored(o)) } : {}) },
        (event) => onEvent(event.type === "BOOKMARK" || event.type === "ERROR" ? event : { ...event, object: fromStored(event.object) }),
      );
    }
    return this.feed.batch(() => {
      const requested = this.checkResourceVersion(options.resourceVersion);
      // Initial events show the current state (not older than the one asked for): nothing to replay.
      const replay = requested && !options.sendInitialEvents ? this.history.since(requested) : [];
      const wanted = scope(type, namespace);
      const filter: ListFilter = { labels: options.labels, fields: options.fields };
      const startAfter = requested && !options.sendInitialEvents ? requested : this.current;
      const watcher = new Watcher(type, wanted, filter, onEvent, startAfter, (stopped, error) => {
        this.feed.removeWatcher(typeKey(type), stopped);
        if (error !== undefined) this.onListenerError(error, `watch on ${qualifiedName(type)}`);
      });
      this.feed.addWatcher(typeKey(type), watcher);
      if (requested === 0 || options.sendInitialEvents) {
        for (const object of this.list(type, wanted, filter).items) watcher.emit({ type: "ADDED", object });
      }
      // WatchList clients (kubectl wait with client-go's WatchListClient) wait for this before they look at the state.
      if (options.sendInitialEvents) watcher.emitBookmark(String(this.current), { "k8s.io/initial-events-end": "true" });
      for (const entry of replay) if (entry.typeKey === typeKey(type)) watcher.deliver(entry);
      if (options.allowBookmarks && watcher.active) watcher.startBookmarks(this.bookmarkIntervalMs, () => this.current, options.deadlineMs);
      return { stop: () => watcher.stop() };
    });
  }

  /**
   * A list's or watch's resourceVersion: undefined (any), 0, or a number; 400 when malformed and 504
   * when newer than anything stored (the real watch cache gives up waiting for it with a Timeout).
   */
  checkResourceVersion(value: string | undefined): number | undefined {
    const requested = parseResourceVersion(value);
    if (requested !== undefined && requested > this.current)
      throw new ApiError(504, "Timeout", `Timeout: Too large resource version: ${requested}, current: ${this.current}`, {
        causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
        retryAfterSeconds: 1,
      });
    return requested;
  }

  /** Simulated controllers (Longhorn, Flux) react here; called synchronously after each change. Returns an unsubscribe function. */
  onChange(hook: (change: StoreChange) => void): () => void {
    return this.feed.addHook(hook);
  }

  /**
   * Loads objects as-is (fixtures), assigning missing system fields and a new resourceVersion; objects
   * with the same name are replaced. No namespace checks, so fixtures may come in any order; deletion
   * state (a stuck finalizer) is kept. Watches and hooks see the changes.
   */
  load(type: ResourceType, objects: KubeObject[]): void {
    if (type.storedAs) {
      this.load(type.storedAs.type, objects.map(type.storedAs.toStored));
      return;
    }
    this.feed.batch(() => {
      const bucket = this.bucket(type);
      const prepared = objects.map((object) => this.prepareFixture(type, bucket, object));
      for (const next of prepared) {
        const key = objectKey(next.metadata.namespace, next.metadata.name ?? "");
        const old = bucket.objects.get(key);
        this.commit(bucket, key, next, old ? "MODIFIED" : "ADDED", old);
      }
    });
  }

  /** Stops every watch (with its bookmark timer). The store stays readable and writable. */
  close(): void {
    this.feed.stopWatchers();
  }

  private bucket(type: ResourceType): Bucket {
    const key = typeKey(type);
    const bucket = this.buckets.get(key) ?? { type, objects: new Map<string, KubeObject>() };
    this.buckets.set(key, bucket);
    // A CRD may be re-registered with new settings (a status subresource); the newest definition wins.
    bucket.type = type;
    return bucket;
  }

  private namespaceForCreate(type: ResourceType, namespace: string | undefined, next: KubeObject): string | undefined {
    if (!type.namespaced) return undefined;
    const given = next.metadata.namespace;
    if (given && namespace !== undefined && given !== namespace) {
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    const resolved = namespace ?? given;
    if (!resolved) throw badRequest(`${qualifiedName(type)} is namespaced: say which namespace to create "${next.metadata.name ?? ""}" in`);
    return resolved;
  }

  private generatedName(bucket: Bucket, namespace: string | undefined, prefix: string | undefined): string | undefined {
    if (!prefix) return undefined;
    for (let attempt = 0; attempt < generateNameAttempts; attempt++) {
      const candidate = `${prefix}${randomSuffix()}`;
      if (!bucket.objects.has(objectKey(namespace, candidate))) return candidate;
    }
    throw alreadyExists(bucket.type, `${prefix}*`);
  }

  private requireOpenNamespace(type: ResourceType, namespace: string, name: string): void {
    const found = this.buckets.get(typeKey(namespacesResource))?.objects.get(objectKey(undefined, namespace));
    if (!found) throw notFound(namespacesResource, namespace);
    if (found.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        "Forbidden",
        `${qualifiedName(type)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        { name, group: type.group, kind: type.resource },
      );
    }
  }

  private fillSystemFields(type: ResourceType, next: KubeObject, name: string, namespace: string | undefined): void {
    next.apiVersion ||= apiVersionOf(type);
    next.kind ||= type.kind;
    next.metadata.name = name;
    if (namespace === undefined) delete next.metadata.namespace;
    else next.metadata.namespace = namespace;
    delete next.metadata.resourceVersion;
  }

  private prepareFixture(type: ResourceType, bucket: Bucket, object: KubeObject): KubeObject {
    const next = clone(object);
    next.metadata = next.metadata ?? {};
    const namespace = type.namespaced ? next.metadata.namespace || "default" : undefined;
    const name = next.metadata.name || this.generatedName(bucket, namespace, next.metadata.generateName);
    if (!name) {
      throw invalid(groupKind(type), "", [
        { reason: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" },
      ]);
    }
    this.fillSystemFields(type, next, name, namespace);
    next.metadata.uid ||= randomUUID();
    next.metadata.creationTimestamp ||= rfc3339(this.clock());
    if (type.withoutGeneration) delete next.metadata.generation;
    else next.metadata.generation ??= 1;
    return next;
  }

  private deleteObject(bucket: Bucket, key: string, stored: KubeObject, options: DeleteOptions): DeleteResult {
    const grace = gracePeriodFor(bucket.type, stored, options.gracePeriodSeconds);
    if (stored.metadata.deletionTimestamp) {
      const inGracePeriod = inTermination(bucket.type, stored);
      // A running pod's grace period can only be shortened, as with the real kubelet.
      if (inGracePeriod && grace < (stored.metadata.deletionGracePeriodSeconds ?? 0)) return this.terminate(bucket, key, stored, grace);
      if (!inGracePeriod && this.removable(bucket, key, stored))
        return { object: clone(this.commitRemoval(bucket, key, stored, stored)), removed: true };
      return { object: clone(stored), removed: false };
    }
    if (grace > 0) return this.terminate(bucket, key, stored, grace);
    if (this.removable(bucket, key, stored)) return { object: clone(this.commitRemoval(bucket, key, stored, stored)), removed: true };
    const next = clone(stored);
    next.metadata.deletionTimestamp = rfc3339(this.clock());
    next.metadata.deletionGracePeriodSeconds = recordedGracePeriod(options.gracePeriodSeconds);
    bumpGenerationForDeletion(next);
    return { object: clone(this.commit(bucket, key, next, "MODIFIED", stored)), removed: false };
  }

  /**
   * Starts (or shortens) a pod's grace period; at 0 the pod goes now unless finalizers hold it. The
   * store sets no timer: the kubelet of a Ready node ends the grace period (controllers/kubelet.ts).
   */
  private terminate(bucket: Bucket, key: string, stored: KubeObject, grace: number): DeleteResult {
    const next = clone(stored);
    if (!stored.metadata.deletionTimestamp) bumpGenerationForDeletion(next);
    next.metadata.deletionTimestamp = rfc3339(new Date(this.clock().getTime() + grace * 1000));
    next.metadata.deletionGracePeriodSeconds = grace;
    if (grace === 0 && this.removable(bucket, key, next))
      return { object: clone(this.commitRemoval(bucket, key, stored, stored)), removed: true };
    return { object: clone(this.commit(bucket, key, next, "MODIFIED", stored)), removed: false };
  }

  /** Marks a namespace Terminating, deletes everything in it (honouring finalizers), and removes it once empty. */
  private deleteNamespace(bucket: Bucket, key: string, stored: KubeObject): DeleteResult {
    const name = stored.metadata.name ?? "";
    let current = stored;
    if (!current.metadata.deletionTimestamp) {
      if (this.removable(bucket, key, current)) return { object: clone(this.commitRemoval(bucket, key, current, current)), removed: true };
      const next = clone(current);
      next.metadata.deletionTimestamp = rfc3339(this.clock());
      next.metadata.deletionGracePeriodSeconds = 0;
      next.status = { ...(next.status as object | undefined), phase: "Terminating" };
      current = this.commit(bucket, key, next, "MODIFIED", current);
    }
    this.cascading.add(name);
    try {
      for (const contentBucket of this.buckets.values()) {
        if (!contentBucket.type.namespaced) continue;
        for (const [contentKey, object] of [...contentBucket.objects]) {
          if (object.metadata.namespace === name) this.deleteObject(contentBucket, contentKey, object, { gracePeriodSeconds: 0 });
        }
      }
    } finally {
      this.cascading.delete(name);
    }
    if (this.removable(bucket, key, current)) return { object: clone(this.commitRemoval(bucket, key, current, current)), removed: true };
    return { object: clone(current), removed: false };
  }

  /** Whether an object may leave the store now: no finalizers, no running grace period, and (namespaces) no content. */
  private removable(bucket: Bucket, _key: string, object: KubeObject): boolean {
    if (hasFinalizers(object) || inTermination(bucket.type, object)) return false;
    return !isNamespaceType(bucket.type) || (this.namespaceContent.get(object.metadata.name ?? "") ?? 0) === 0;
  }

  private removeNamespaceIfDone(namespace: string): void {
    if (this.cascading.has(namespace)) return;
    const bucket = this.buckets.get(typeKey(namespacesResource));
    const key = objectKey(undefined, namespace);
    const found = bucket?.objects.get(key);
    if (bucket && found?.metadata.deletionTimestamp && this.removable(bucket, key, found)) this.commitRemoval(bucket, key, found, found);
  }

  /** Stores `next` (taking ownership of it) under the next resourceVersion and records the change. */
  private commit(bucket: Bucket, key: string, next: KubeObject, type: "ADDED" | "MODIFIED", old?: KubeObject): KubeObject {
    this.current += 1;
    next.metadata.resourceVersion = String(this.current);
    const stored = deepFreeze(next);
    bucket.objects.set(key, stored);
    if (!old) this.countContent(bucket, stored, 1);
    this.record({
      resourceVersion: this.current,
      type,
      resource: bucket.type,
      typeKey: typeKey(bucket.type),
      object: stored,
      ...(old ? { old } : {}),
    });
    return stored;
  }

  /** Removes an object; `last` is its final content, which the DELETED event carries with the new resourceVersion. */
  private commitRemoval(bucket: Bucket, key: string, last: KubeObject, old: KubeObject): KubeObject {
    this.current += 1;
    const removed = clone(last);
    removed.metadata.resourceVersion = String(this.current);
    deepFreeze(removed);
    bucket.objects.delete(key);
    this.countContent(bucket, removed, -1);
    this.record({
      resourceVersion: this.current,
      type: "DELETED",
      resource: bucket.type,
      typeKey: typeKey(bucket.type),
      object: removed,
      old,
    });
    if (bucket.type.namespaced && removed.metadata.namespace) this.removeNamespaceIfDone(removed.metadata.namespace);
    return removed;
  }

  private countContent(bucket: Bucket, object: KubeObject, delta: number): void {
    const namespace = object.metadata.namespace;
    if (!bucket.type.namespaced || !namespace) return;
    const count = (this.namespaceContent.get(namespace) ?? 0) + delta;
    if (count > 0) this.namespaceContent.set(namespace, count);
    else this.namespaceContent.delete(namespace);
  }

  private record(entry: HistoryEntry): void {
    this.history.push(entry);
    this.feed.publish(entry);
  }
}

/** Marking an object for deletion is a change of its desired state: the real server bumps a set generation. */
function bumpGenerationForDeletion(object: KubeObject): void {
  const generation = object.metadata.generation ?? 0;
  if (generation > 0) object.metadata.generation = generation + 1;
}

const mapDefined = <T, U>(value: T | undefined, map: (value: T) => U): U | undefined => (value === undefined ? undefined : map(value));

/** Cluster-scoped resources ignore any namespace they are asked for. */
const scope = (type: ResourceType, namespace: string | undefined): string | undefined => (type.namespaced ? namespace : undefined);

/** A pod whose kubelet has not yet confirmed it stopped: being deleted with a grace period left. */
const inTermination = (type: ResourceType, object: KubeObject): boolean =>
  isPodType(type) && object.metadata.deletionTimestamp !== undefined && (object.metadata.deletionGracePeriodSeconds ?? 0) > 0;
