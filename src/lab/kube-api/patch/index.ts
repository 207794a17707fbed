/** The four ways the emulator changes an object on PATCH. */
export { jsonPatch } from "./json-patch.js";
export { mergePatch } from "./merge-patch.js";
export { serverSideApply } from "./server-side-apply.js";
export { strategicMergePatch } from "./strategic-merge.js";
