/**
 * The resource types the emulator serves: built-ins plus one entry per established CRD.
 * Discovery, OpenAPI, routing and the store all read it; nothing else decides what exists.
 */

import type { ResourceType } from "../types.js";
import { builtinTypes } from "./builtins.js";
import { compareGroups, compareVersions } from "./order.js";

/** One API group as discovery shows it. */
export interface RegistryGroup {
  /** "" for the core group. */
  name: string;
  /** Served versions, preferred first. */
  versions: string[];
  preferred: string;
}

/** Splits `longhorn.io/v1beta2` into group and version; `v1` is the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf("/");
  return slash < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

const keyOf = (group: string, resource: string): string => `${resource}.${group}`;

/** The served resource types, keyed by group + plural. */
export class Registry {
  private readonly types = new Map<string, ResourceType>();
  private changes = 0;

  /** @param types the initial types; defaults to {@link builtinTypes}. */
  constructor(types: ResourceType[] = builtinTypes()) {
    for (const type of types) this.types.set(keyOf(type.group, type.resource), type);
  }

  /** Adds a type, replacing the one with the same group and plural (a CRD update). */
  add(type: ResourceType): void {
    this.types.set(keyOf(type.group, type.resource), type);
    this.changes++;
  }

  /** Removes a type (a CRD deletion); unknown names are ignored. */
  remove(group: string, resource: string): void {
    if (this.types.delete(keyOf(group, resource))) this.changes++;
  }

  /** By URL parts: group ("" core), version (must be served), plural. */
  lookup(group: string, version: string, resource: string): ResourceType | undefined {
    const type = this.types.get(keyOf(group, resource));
    return type?.versions.includes(version) ? type : undefined;
  }

  /** By apiVersion + kind, for objects in fixtures and apply bodies; the version must be served. */
  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const { group, version } = parseApiVersion(apiVersion);
    for (const type of this.types.values()) {
      if (type.group === group && type.kind === kind && type.versions.includes(version)) return type;
    }
    return undefined;
  }

  /** Every type, in the order they were first added. */
  all(): ResourceType[] {
    return [...this.types.values()];
  }

  /** Groups with their served versions, preferred first, in discovery order; the core group ("") comes first. */
  groups(): RegistryGroup[] {
    const versionsByGroup = new Map<string, Set<string>>();
    for (const type of this.types.values()) {
      if (type.versions.length === 0) continue;
      const versions = versionsByGroup.get(type.group) ?? new Set<string>();
      for (const v of type.versions) versions.add(v);
      versionsByGroup.set(type.group, versions);
    }
    return [...versionsByGroup.entries()]
      .sort(([a], [b]) => compareGroups(a, b))
      .map(([name, set]) => {
        const versions = [...set].sort(compareVersions);
        return { name, versions, preferred: versions[0] ?? "" };
      });
  }

  /** The types served at one group version, sorted by plural as discovery lists them. */
  servedAt(group: string, version: string): ResourceType[] {
    return this.all()
      .filter((t) => t.group === group && t.versions.includes(version))
      .sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
  }

  /** Changes when a type is added or removed (discovery hashes/ETags use it). */
  generation(): number {
    return this.changes;
  }
}
