/**
 * The lab's CRDs: the real Longhorn 1.9.2 and Flux definitions (schemas dropped) kept in
 * fixtures/crds, so `kubectl get lhn` and friends look as they do on a real cluster.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "./types.js";

/** fixtures/crds of this package; the same relative place from src/ and dist/. */
export const LAB_CRD_DIR = fileURLToPath(new URL("../../../fixtures/crds/", import.meta.url));

/** Every CustomResourceDefinition in the YAML files of `dir` (default {@link LAB_CRD_DIR}), in file then document order. */
export function loadCrds(dir: string = LAB_CRD_DIR): KubeObject[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort();
  const crds: KubeObject[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
      if (doc.errors.length > 0) throw new Error(`${join(dir, file)}: ${doc.errors[0]?.message}`);
      const value = doc.toJS() as KubeObject | null;
      if (value?.kind === "CustomResourceDefinition") crds.push(value);
    }
  }
  return crds;
}
