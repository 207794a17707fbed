/**
 * The kube-apiserver's NamespaceLifecycle admission plugin, for the part a recovery can trip over:
 * default, kube-system and kube-public cannot be deleted (a drill that cleans up namespaces must not
 * take the cluster's own with it).
 */
import { isNamespaceType } from "../registry/names.js";
import { ApiError } from "../status.js";
import type { AdmissionHook } from "./admission.js";

const IMMORTAL = new Set(["default", "kube-system", "kube-public"]);

export const namespaceLifecycle: AdmissionHook = {
  name: "NamespaceLifecycle",
  kind: "plugin",
  matches: (request) => request.operation === "DELETE" && isNamespaceType(request.type),
  admit(request) {
    if (!IMMORTAL.has(request.name)) return;
    throw new ApiError(403, "Forbidden", `namespaces "${request.name}" is forbidden: this namespace may not be deleted`, {
      name: request.name,
      group: "",
      kind: "namespaces",
    });
  },
};
