import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { parseAllDocuments } from "yaml";
import type { GitSource } from "../controllers/flux/source.js";
import { labGitEnv } from "../gitops/git.js";
import type { KubeObject } from "../kube-api/index.js";

const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

async function hasKustomization(dir: string): Promise<boolean> {
  for (const f of KUSTOMIZATION_FILES) if (await stat(path.join(dir, f)).catch(() => undefined)) return true;
  return false;
}

/**
 * kustomize-controller's generator where a path has no kustomization.yaml: every manifest below
 * it, and each subdirectory that has its own kustomization as one resource (not descended).
 */
async function generatedResources(dir: string, base = dir): Promise<string[]> {
  const found: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (await hasKustomization(full)) found.push(path.relative(base, full));
      else found.push(...(await generatedResources(full, base)));
    } else if (/\.ya?ml$/.test(entry.name)) {
      const text = await readFile(full, "utf8");
      if (/^apiVersion:/m.test(text) && /^kind:/m.test(text)) found.push(path.relative(base, full));
    }
  }
  return found;
}

/** The lab's Git remote as Flux's source-controller and kustomize-controller read it (git archive, kubectl kustomize). */
export function labGitSource(labDir: string, remote: string, kubeconfig: string): GitSource {
  const env = { ...labGitEnv(labDir), KUBECONFIG: kubeconfig };
  const run = async (file: string, args: string[], cwd?: string): Promise<string> => {
    const result = await execa(file, args, { env, extendEnv: false, reject: false, ...(cwd ? { cwd } : {}), stdin: "ignore" });
    if (result.exitCode !== 0) throw new Error(`${file} ${args.join(" ")}: ${String(result.stderr).trim()}`);
    return String(result.stdout);
  };
  return {
    revision: async () => `main@sha1:${(await run("git", ["--git-dir", remote, "rev-parse", "refs/heads/main"])).trim()}`,
    async build(revision, kustomizePath) {
      const commit = revision.replace(/^.*sha1:/, "");
      const work = await mkdtemp(path.join(labDir, "flux-build-"));
      try {
        await run("git", ["--git-dir", remote, "archive", "--format=tar", "-o", path.join(work, "src.tar"), commit]);
        await run("tar", ["-xf", "src.tar"], work);
        const dir = path.join(work, kustomizePath);
        if (!(await hasKustomization(dir)))
          await writeFile(
            path.join(dir, "kustomization.yaml"),
            `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${(await generatedResources(dir)).map((r) => `  - ${r}\n`).join("")}`,
          );
        const out = await run("kubectl", ["kustomize", dir]);
        return parseAllDocuments(out)
          .map((d) => d.toJS() as KubeObject | null)
          .filter((o): o is KubeObject => o !== null && typeof o === "object" && "kind" in o);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
  };
}
