import { isAbsolute, relative } from "node:path";

/** A path relative to the current directory when it lies below it, else as given. */
export function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}
