/**
 * meta.k8s.io/v1 Tables for `kubectl get` (Accept `application/json;as=Table;v=v1;g=meta.k8s.io`).
 * Built-ins print as the real printers do; custom resources print their CRD's columns through
 * the apiextensions table convertor's rules. Ages are computed here, server-side, as on a
 * real cluster: kubectl prints cells as they come.
 */

import { rfc3339 } from "../store/objects.js";
import type { KubeObject, PrinterColumn, ResourceType } from "../types.js";
import { humanDuration, parseTimestamp } from "./age.js";
import { builtinPrinter } from "./builtins.js";
import { type ColumnDefinition, CREATION_DESCRIPTION, column, NAME_COLUMN, type PrintedRow, type RowCondition } from "./cells.js";
import { evaluatePrinterPath } from "./jsonpath.js";

/** How much of each object a row carries (`?includeObject=`); Metadata is the server's default. */
export type IncludeObject = "None" | "Metadata" | "Object";

/** Options of {@link toTable}. */
export interface TableOptions {
  /** The list's metadata.resourceVersion, copied to the table. */
  listResourceVersion?: string;
  /** The list's metadata.continue (paged lists). */
  continue?: string;
  /** The list's metadata.remainingItemCount (paged lists). */
  remainingItemCount?: number;
  includeObject?: IncludeObject;
  /** A GET of one object: the table takes that object's resourceVersion. */
  single?: boolean;
  /** `?noHeaders=true` (kubectl watch after the first event): no columnDefinitions. */
  noHeaders?: boolean;
  /** The clock ages are computed against; defaults to the current time. */
  now?: Date | number;
}

/** meta.k8s.io/v1 TableRow. */
export interface TableRow {
  cells: unknown[];
  conditions?: RowCondition[];
  object: unknown;
}

/** meta.k8s.io/v1 Table. */
export interface Table {
  kind: "Table";
  apiVersion: "meta.k8s.io/v1";
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: ColumnDefinition[] | null;
  rows: TableRow[];
}

/** What a CRD without printer columns shows (apiextensions serveDefaultColumnsIfEmpty). */
const DEFAULT_CUSTOM_COLUMNS: PrinterColumn[] = [
  { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp", description: CREATION_DESCRIPTION },
];

/** The generic apiserver's default convertor, used by built-ins without a printer (customresourcedefinitions). */
const DEFAULT_COLUMNS = [NAME_COLUMN, column("Created At", "date", CREATION_DESCRIPTION)];

/** Go's fmt %v of a decoded JSON value, as JSONPath prints non-strings in a string column. */
function goFormat(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(goFormat).join(" ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${goFormat(v)}`).join(" ")}]`;
  }
  return String(value);
}

/** One custom column's cell (apiextensions tableconvertor cellForJSONValue). */
function customCell(printerColumn: PrinterColumn, object: KubeObject, now: number): unknown {
  const value = evaluatePrinterPath(object, printerColumn.jsonPath);
  if (value === undefined || value === null) return null;
  switch (printerColumn.type) {
    case "string":
      return goFormat(value);
    case "integer":
      return typeof value === "number" ? Math.trunc(value) : null;
    case "number":
      return typeof value === "number" ? value : null;
    case "boolean":
      return typeof value === "boolean" ? value : null;
    case "date": {
      if (typeof value !== "string") return null;
      const ms = parseTimestamp(value);
      return ms === undefined ? "<invalid>" : humanDuration(now - ms);
    }
    default:
      return null;
  }
}

function customPrinter(type: ResourceType): { columns: ColumnDefinition[]; row: (o: KubeObject, now: number) => PrintedRow } {
  const printerColumns = type.printerColumns.length > 0 ? type.printerColumns : DEFAULT_CUSTOM_COLUMNS;
  return {
    columns: [
      NAME_COLUMN,
      ...printerColumns.map((c) => ({
        name: c.name,
        type: c.type,
        format: c.format ?? "",
        description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
        priority: c.priority ?? 0,
      })),
    ],
    row: (o, now) => ({ cells: [o.metadata.name ?? "", ...printerColumns.map((c) => customCell(c, o, now))] }),
  };
}

const defaultPrinter = {
  columns: DEFAULT_COLUMNS,
  row: (o: KubeObject): PrintedRow => {
    const created = parseTimestamp(o.metadata.creationTimestamp);
    // Go prints a zero creation time as year 1.
    const at = created === undefined ? "0001-01-01T00:00:00Z" : rfc3339(new Date(created));
    return { cells: [o.metadata.name ?? "", at] };
  },
};

function rowObject(object: KubeObject, include: IncludeObject): unknown {
  if (include === "None") return null;
  if (include === "Object") return object;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: object.metadata };
}

/**
 * A meta.k8s.io/v1 Table for `kubectl get`: columnDefinitions and rows with cells and `object`
 * (PartialObjectMetadata by default, the full object with includeObject=Object, null with None).
 * Wide columns are always included at priority 1, as the real server sends them.
 */
export function toTable(type: ResourceType, objects: KubeObject[], options: TableOptions = {}): Table {
  const now = options.now === undefined ? Date.now() : Number(options.now);
  const printer = type.custom ? customPrinter(type) : (builtinPrinter(type.group, type.resource) ?? defaultPrinter);
  const include = options.includeObject ?? "Metadata";
  const resourceVersion = options.listResourceVersion ?? (options.single ? objects[0]?.metadata.resourceVersion : undefined);
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: {
      ...(resourceVersion ? { resourceVersion } : {}),
      ...(options.continue ? { continue: options.continue } : {}),
      ...(options.remainingItemCount !== undefined ? { remainingItemCount: options.remainingItemCount } : {}),
    },
    columnDefinitions: options.noHeaders ? null : printer.columns,
    rows: objects.map((object) => {
      const printed = printer.row(object, now);
      return { ...printed, object: rowObject(object, include) };
    }),
  };
}
