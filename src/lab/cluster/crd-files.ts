import { readdirSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../errors.js";
import { DEFAULT_CRD_DIR } from "../kube-api/index.js";

const compare = (a: number[], b: number[]): number => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0);
const parse = (v: string): number[] => v.split(".").map(Number);

/**
 * The CRD files a lab of Longhorn `version` serves: Flux's, and Longhorn's of that version, or of
 * the newest earlier patch of the same minor the project ships (the CRDs of a minor do not differ
 * where runbooks look). Says which versions exist when none fits.
 */
export function crdFilesFor(version: string, dir = DEFAULT_CRD_DIR): { files: string[]; longhornCrdVersion: string } {
  const shipped = readdirSync(dir)
    .map((f) => /^longhorn-v(\d+\.\d+\.\d+)\.yaml$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort((a, b) => compare(parse(a), parse(b)));
  const wanted = parse(version);
  const fit = shipped.filter((v) => parse(v)[0] === wanted[0] && parse(v)[1] === wanted[1] && compare(parse(v), wanted) <= 0).at(-1);
  if (!fit)
    throw new InputError(
      `--version ${version}: recover has no Longhorn CRDs for ${wanted.slice(0, 2).join(".")}.x up to ${version}`,
      `versions it can run: ${shipped.join(", ")} (add fixtures/crds/longhorn-vX.Y.Z.yaml for another)`,
    );
  return { files: [path.join(dir, "flux.yaml"), path.join(dir, `longhorn-v${fit}.yaml`)], longhornCrdVersion: fit };
}
