import type { ApiContext } from "../http/context.js";
import { crdResourceType } from "../registry/crd.js";
import { isCrdType } from "../registry/names.js";
import type { StoreChange } from "../store/store.js";
import type { KubeObject } from "../types.js";

/** Registers a CRD's type (replacing an older version of it); false when the CRD is invalid. */
export function registerCrd(context: ApiContext, crd: KubeObject): boolean {
  try {
    context.registry.add(crdResourceType(crd));
    return true;
  } catch {
    return false;
  }
}

/**
 * Keeps the registry in step with stored CustomResourceDefinitions, whoever writes them: creating
 * one serves its type (discovery changes), deleting one stops serving it and drops its objects.
 */
export function syncCrdTypes(context: ApiContext): () => void {
  return context.store.onChange((change: StoreChange) => {
    if (!isCrdType(change.resource)) return;
    if (change.type !== "DELETED") {
      registerCrd(context, change.object);
      return;
    }
    let type: ReturnType<typeof crdResourceType>;
    try {
      type = crdResourceType(change.object);
    } catch {
      return;
    }
    context.registry.remove(type.group, type.resource);
    // Out of the store's change callback: deleting re-enters the store.
    queueMicrotask(() => {
      for (const item of context.store.list(type, undefined).items) {
        const name = item.metadata.name as string;
        const live = context.store.tryGet(type, item.metadata.namespace, name);
        if (!live) continue;
        if (live.metadata.finalizers?.length)
          context.store.update(type, item.metadata.namespace, name, { ...live, metadata: { ...live.metadata, finalizers: [] } });
        if (context.store.tryGet(type, item.metadata.namespace, name)) context.store.delete(type, item.metadata.namespace, name);
      }
    });
  });
}
