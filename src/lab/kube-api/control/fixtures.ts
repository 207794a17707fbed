import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { InputError } from "../../../errors.js";
import type { KubeObject } from "../types.js";

/** A fixture file that cannot be loaded; names the file (and document) and what is wrong. */
export class FixtureError extends InputError {
  constructor(
    message: string,
    readonly file?: string,
    readonly document?: number,
  ) {
    super(
      message,
      "fixtures are YAML or JSON files of Kubernetes objects (apiVersion, kind, metadata.name), several per file separated by ---",
    );
  }
}

const FIXTURE_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** Reads every object from a YAML/JSON file, or from every such file under a directory (sorted, recursive). */
export async function readFixtureObjects(path: string): Promise<KubeObject[]> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new FixtureError(`cannot read fixtures ${path}: ${error.code === "ENOENT" ? "no such file or directory" : error.message}`, path);
  });
  if (!info.isDirectory()) return parseFixtureText(await readFile(path, "utf8"), path);
  const files = (await readdir(path, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && FIXTURE_EXTENSIONS.has(extname(entry.name)))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const objects: KubeObject[] = [];
  for (const file of files) objects.push(...parseFixtureText(await readFile(file, "utf8"), file));
  return objects;
}

/** Parses multi-document YAML (JSON is YAML) into objects; `kind: List` documents are expanded. */
export function parseFixtureText(text: string, source = "<fixtures>"): KubeObject[] {
  const objects: KubeObject[] = [];
  const docs = parseAllDocuments(text);
  for (const [index, doc] of docs.entries()) {
    const error = doc.errors[0];
    if (error) throw new FixtureError(`${source}: document ${index + 1}: ${error.message}`, source, index + 1);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    const items = isList(value) ? (value.items as unknown[]) : [value];
    for (const item of items) objects.push(checkObject(item, source, index + 1));
  }
  return objects;
}

function isList(value: unknown): value is { items: unknown[] } {
  const v = value as { kind?: unknown; items?: unknown };
  return typeof v === "object" && v !== null && typeof v.kind === "string" && v.kind.endsWith("List") && Array.isArray(v.items);
}

function checkObject(value: unknown, source: string, document: number): KubeObject {
  const where = `${source}: document ${document}`;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new FixtureError(`${where}: not an object`, source, document);
  const o = value as Partial<KubeObject>;
  const missing = [
    typeof o.apiVersion === "string" ? undefined : "apiVersion",
    typeof o.kind === "string" ? undefined : "kind",
    typeof o.metadata?.name === "string" && o.metadata.name !== "" ? undefined : "metadata.name",
  ].filter(Boolean);
  if (missing.length > 0) throw new FixtureError(`${where}: missing ${missing.join(", ")}`, source, document);
  return value as KubeObject;
}
