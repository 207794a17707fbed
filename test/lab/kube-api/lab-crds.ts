import { readFixtureObjects } from "../../../src/lab/kube-api/control/fixtures.js";
import { DEFAULT_CRD_DIR } from "../../../src/lab/kube-api/index.js";
import { clone } from "../../../src/lab/kube-api/patch/json-value.js";
import { crdResourceType } from "../../../src/lab/kube-api/registry/crd.js";
import { Registry } from "../../../src/lab/kube-api/registry/registry.js";
import type { KubeObject } from "../../../src/lab/kube-api/types.js";

// Read with the loader the emulator itself serves them from, so tests and emulator cannot disagree.
const CRDS = (await readFixtureObjects(DEFAULT_CRD_DIR)).filter((o) => o.kind === "CustomResourceDefinition");

/** The lab's CRDs (Longhorn, Flux from fixtures/crds) in file then document order; a fresh copy per call. */
export function loadCrds(): KubeObject[] {
  return clone(CRDS);
}

/** The registry the lab serves: built-ins plus the Longhorn and Flux CRDs. */
export function labRegistry(): Registry {
  const registry = new Registry();
  for (const crd of loadCrds()) registry.add(crdResourceType(crd));
  return registry;
}
