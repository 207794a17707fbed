import { posix } from "node:path";

/** What is wrong with a path that must stay inside the GitOps repository, or undefined when it is fine. */
export function repoPathProblem(file: string): string | undefined {
  if (file.trim() === "") return "is empty";
  if (posix.isAbsolute(file) || /^[A-Za-z]:[\\/]/.test(file)) return `"${file}" is absolute; edits stay inside the GitOps repository`;
  const normal = posix.normalize(file.replaceAll("\\", "/"));
  if (normal === ".." || normal.startsWith("../")) return `"${file}" leads out of the GitOps repository`;
  if (normal === "." || normal.endsWith("/")) return `"${file}" is a directory, not a file`;
  if (normal === ".git" || normal.startsWith(".git/")) return `"${file}" is inside .git`;
  return undefined;
}
