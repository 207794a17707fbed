import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import type { LabModel } from "../model/lab-model.js";
import { git, writeLabGitConfig } from "./git.js";
import { renderLabInventory } from "./lab-inventory.js";
import { nodeConfigPath, renderNodeConfig } from "./node-config.js";

/** The GitOps repository the lab's is made from: shaped like the operator's k3s-flux (beside src/ and dist/ alike). */
export const FIXTURE_GITOPS = fileURLToPath(new URL("../../../fixtures/gitops/", import.meta.url));

export interface LabRepo {
  /** The bare remote (`origin`), a path. */
  remote: string;
  /** The operator's working clone. */
  clone: string;
  inventory: string;
  /** The commit main points at. */
  commit: string;
}

/** Sets one field of a YAML file, keeping its comments and layout. */
async function setYaml(file: string, pathInDoc: (string | number)[], value: unknown, documentIndex = 0): Promise<void> {
  const text = await readFile(file, "utf8");
  const parts = text.split(/^---\s*$/m);
  const doc = parseDocument(parts[documentIndex] ?? "");
  doc.setIn(pathInDoc, value);
  parts[documentIndex] = `${documentIndex > 0 ? "\n" : ""}${doc.toString()}`;
  await writeFile(file, parts.join("---"));
}

/** The lab's changes over the fixture: its inventory, a Node CR per lab node, the Longhorn version, the remote's URL. */
async function adapt(clone: string, model: LabModel, remote: string): Promise<void> {
  const inventory = path.join(clone, "recover", "inventory.yaml");
  await writeFile(inventory, renderLabInventory(model, await readFile(inventory, "utf8")));
  for (const node of model.nodes) {
    const file = path.join(clone, nodeConfigPath(node.name));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, renderNodeConfig(node));
  }
  const kustomization = path.join(clone, "infrastructure", "kustomization.yaml");
  await setYaml(
    kustomization,
    ["resources"],
    ["longhorn/base", ...model.nodes.map((n) => nodeConfigPath(n.name).replace(/^infrastructure\//, ""))],
  );
  await setYaml(
    path.join(clone, "infrastructure", "longhorn", "base", "helm-release.yaml"),
    ["spec", "chart", "spec", "version"],
    model.options.version,
  );
  await setYaml(path.join(clone, "clusters", "k3s-flux", "flux-system", "gotk-sync.yaml"), ["spec", "url"], `file://${remote}`);
}

/**
 * A bare remote and the operator's clone of it, built from fixtures/gitops/ adapted to this lab,
 * with one commit pushed to main.
 */
export async function buildLabRepo(model: LabModel): Promise<LabRepo> {
  const dir = model.dir;
  await writeLabGitConfig(dir);
  const remote = path.join(dir, "git", "k3s-flux.git");
  const clone = path.join(dir, "k3s-flux");
  await mkdir(remote, { recursive: true });
  await git(dir, remote, ["init", "--quiet", "--bare", "--initial-branch=main"]);
  await cp(FIXTURE_GITOPS, clone, { recursive: true });
  await adapt(clone, model, remote);
  await git(dir, clone, ["init", "--quiet", "--initial-branch=main"]);
  await git(dir, clone, ["add", "--all"]);
  await git(dir, clone, ["commit", "--quiet", "-m", "k3s-flux: the cluster as recover lab built it"]);
  await git(dir, clone, ["remote", "add", "origin", remote]);
  await git(dir, clone, ["push", "--quiet", "--set-upstream", "origin", "main"]);
  const commit = (await git(dir, clone, ["rev-parse", "HEAD"])).trim();
  return { remote, clone, inventory: path.join(clone, "recover", "inventory.yaml"), commit };
}
