/**
 * Admission: hooks that see a write after defaults and validation, before it is stored, and may
 * refuse it with a real Status (the kube-apiserver's admission plugins and validating webhooks).
 */
import { ApiError } from "../status.js";
import type { KubeObject, ResourceType } from "../types.js";

export type AdmissionOperation = "CREATE" | "UPDATE" | "DELETE";

/** Reads the cluster as a hook needs it (a webhook's informer cache): no writes. */
export interface ClusterReader {
  tryGet(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Objects of a kind, in one namespace or (undefined) all; [] when the kind is not served. */
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[];
}

/** What a hook is asked about (admission.k8s.io AdmissionRequest, in-process). */
export interface AdmissionRequest {
  operation: AdmissionOperation;
  type: ResourceType;
  namespace: string | undefined;
  name: string;
  /** The object as it would be stored (CREATE, UPDATE). */
  object?: KubeObject;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: KubeObject;
  subresource?: string;
  dryRun: boolean;
  cluster: ClusterReader;
}

/** One admission hook. Refuse by throwing an ApiError: its code, reason, message and causes reach the client. */
export interface AdmissionHook {
  /** A webhook's name (`validator.longhorn.io`) or an admission plugin's (`NamespaceLifecycle`). */
  name: string;
  /** A webhook's refusals read `admission webhook "<name>" denied the request: …`; a plugin's are passed on as thrown. */
  kind: "webhook" | "plugin";
  /** Whether this hook wants to see the request (its rules: group, resource, operations). */
  matches(request: Pick<AdmissionRequest, "operation" | "type" | "subresource">): boolean;
  admit(request: AdmissionRequest): void;
}

/** The registered hooks, run in registration order; the first refusal wins. */
export class Admission {
  private readonly hooks: AdmissionHook[] = [];

  /** Adds a hook; returns the function that removes it. */
  register(hook: AdmissionHook): () => void {
    this.hooks.push(hook);
    return () => {
      const at = this.hooks.indexOf(hook);
      if (at >= 0) this.hooks.splice(at, 1);
    };
  }

  run(request: AdmissionRequest): void {
    for (const hook of [...this.hooks]) {
      if (!hook.matches(request)) continue;
      try {
        hook.admit(request);
      } catch (error) {
        throw hook.kind === "webhook" ? deniedByWebhook(hook.name, error) : error;
      }
    }
  }
}

/** How the kube-apiserver reports a webhook's refusal (apiserver webhook/errors ToStatusErr): at least 400, message prefixed. */
function deniedByWebhook(name: string, error: unknown): ApiError {
  const denied = `admission webhook "${name}" denied the request`;
  if (!(error instanceof ApiError))
    return new ApiError(400, "BadRequest", `${denied}: ${error instanceof Error ? error.message : String(error)}`);
  const message = error.message ? `${denied}: ${error.message}` : `${denied} without explanation`;
  return new ApiError(Math.max(400, error.code), error.reason, message, error.details);
}
