/**
 * Pieces every server-side printer shares: meta.k8s.io/v1 TableColumnDefinition, the Name and
 * Age columns, and tolerant readers for the loosely typed objects the store holds.
 */
import type { KubeObject } from "../types.js";

/** meta.k8s.io/v1 TableColumnDefinition; every field is always sent. */
export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** meta.k8s.io/v1 TableRowCondition (pods that completed or failed carry one). */
export interface RowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** One printed row before the object is attached. */
export interface PrintedRow {
  cells: unknown[];
  conditions?: RowCondition[];
}

/** A built-in type's printer: its columns and how one object fills them (wide columns included, as the server always does). */
export interface BuiltinPrinter {
  columns: ColumnDefinition[];
  row(object: KubeObject, now: number): PrintedRow;
}

/** ObjectMeta's swagger descriptions of name and creationTimestamp, as the real server sends them. */
export const NAME_DESCRIPTION =
  "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
export const CREATION_DESCRIPTION =
  "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** A column definition; `format` and `priority` default as the real server leaves them. */
export function column(
  name: string,
  type: string,
  description: string,
  extra: { format?: string; priority?: number } = {},
): ColumnDefinition {
  return { name, type, format: extra.format ?? "", description, priority: extra.priority ?? 0 };
}

export const NAME_COLUMN = column("Name", "string", NAME_DESCRIPTION, { format: "name" });
/** Built-in printers type Age as a string: the server already turned it into "5m". */
export const AGE_COLUMN = column("Age", "string", CREATION_DESCRIPTION);

export type Json = Record<string, unknown>;

/** The value as a plain object, else an empty one. */
export const rec = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
/** The value as an array of plain objects, else an empty array. */
export const recs = (v: unknown): Json[] => (Array.isArray(v) ? v.map(rec) : []);
/** The value as a string, else "". */
export const str = (v: unknown): string => (typeof v === "string" ? v : "");
/** The value as a number, else 0 (Go's zero value). */
export const num = (v: unknown): number => (typeof v === "number" ? v : 0);
