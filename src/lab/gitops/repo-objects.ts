import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../kube-api/index.js";

/** Every Kubernetes object in the repository's YAML files (kustomize's own files and recover/ left out). */
export async function readRepoObjects(clone: string): Promise<KubeObject[]> {
  const files = (await readdir(clone, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .filter(
      (f) =>
        !path
          .relative(clone, f)
          .split(path.sep)
          .some((part) => part === "recover" || part === ".git"),
    )
    .sort();
  const objects: KubeObject[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(file, "utf8"))) {
      const value = doc.toJS() as KubeObject | null;
      if (!value?.apiVersion || !value.kind || !value.metadata?.name) continue;
      if (value.apiVersion.startsWith("kustomize.config.k8s.io/")) continue;
      objects.push(value);
    }
  }
  return objects;
}
