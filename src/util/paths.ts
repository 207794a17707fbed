import { isAbsolute, relative } from "node:path";

/** A path relative to `base` (the caller's working directory) when it lies below it, else as given. */
export function shortPath(file: string, base: string | undefined): string {
  if (base === undefined) return file;
  const rel = relative(base, file);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}
