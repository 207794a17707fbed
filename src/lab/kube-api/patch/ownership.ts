/** Moving field ownership between managers after a change (structured-merge-diff's update step). */

import type { FieldPath } from "./field-path.js";
import type { Comparison } from "./field-walk.js";
import type { Managed, ManagedByManager, Manager } from "./managed-fields.js";

/** A field another manager owns that a write would change. */
export interface Conflict {
  manager: Manager;
  path: FieldPath;
}

/**
 * Takes every added or modified field away from the managers other than `self` (reporting each as
 * a conflict) and forgets removed fields everywhere. Returns the new entries and the conflicts,
 * ordered by manager identifier then path; the caller decides whether conflicts are fatal.
 */
export function transferOwnership(
  managed: ManagedByManager,
  changes: Comparison,
  self: string,
): { managed: ManagedByManager; conflicts: Conflict[] } {
  const changed = changes.added.union(changes.modified);
  const next: ManagedByManager = new Map();
  const conflicts: Conflict[] = [];
  for (const id of [...managed.keys()].sort()) {
    const entry = managed.get(id) as Managed;
    let fields = entry.fields.difference(changes.removed);
    if (id !== self) {
      const taken = fields.intersection(changed);
      for (const path of taken.paths()) conflicts.push({ manager: entry.manager, path });
      fields = fields.difference(taken);
    }
    if (!fields.isEmpty() || id === self) next.set(id, { manager: entry.manager, fields });
  }
  return { managed: next, conflicts };
}
