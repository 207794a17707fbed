/**
 * Structural schemas for the built-ins the lab writes, as far as the lab models them: top-level
 * fields exact (so `--validate=strict` catches a typo there), pods' and nodes' specs field by field
 * as the Go structs, the parts a runbook or controller sets typed and checked, the rest (a node's
 * status, a pod's probes) kept as sent.
 */
import type { StructuralSchema } from "../api/structural-schema.js";
import { bool, enumOf, listOf, opaque, str, struct } from "./go-schema.js";
import { POD_SCHEMA } from "./pod-schema.js";

const open: StructuralSchema = { type: "object", "x-kubernetes-preserve-unknown-fields": true };
const string: StructuralSchema = { type: "string" };
const stringMap: StructuralSchema = { type: "object", additionalProperties: string };
const labelSelector: StructuralSchema = {
  type: "object",
  properties: {
    matchLabels: stringMap,
    matchExpressions: {
      type: "array",
      items: { type: "object", properties: { key: string, operator: string, values: { type: "array", items: string } } },
    },
  },
};
const root = (properties: Record<string, StructuralSchema>): StructuralSchema => ({ type: "object", properties });

/** By `group/resource` (core group: `/configmaps`). */
export const BUILTIN_SCHEMAS: Record<string, StructuralSchema> = {
  "/configmaps": root({ data: stringMap, binaryData: stringMap, immutable: { type: "boolean" } }),
  "/secrets": root({ data: stringMap, stringData: stringMap, type: string, immutable: { type: "boolean" } }),
  "/namespaces": root({ spec: root({ finalizers: { type: "array", items: string } }), status: open }),
  // Runbook steps: cordon/taint the node under recovery; the lab's kubelet and Longhorn read the rest.
  "/nodes": struct("v1.Node", {
    spec: struct("v1.NodeSpec", {
      podCIDR: str,
      podCIDRs: listOf(str),
      providerID: str,
      unschedulable: bool,
      taints: listOf(
        struct("v1.Taint", { key: str, value: str, effect: enumOf(["NoExecute", "NoSchedule", "PreferNoSchedule"]), timeAdded: str }, [
          "key",
          "effect",
        ]),
      ),
      configSource: opaque("v1.NodeConfigSource"),
      externalID: str,
    }),
    status: opaque("v1.NodeStatus"),
  }),
  "/pods": POD_SCHEMA,
  "/persistentvolumes": root({ spec: open, status: open }),
  "/persistentvolumeclaims": root({ spec: open, status: open }),
  // The recovery lock (one recovery per node at a time).
  "coordination.k8s.io/leases": root({
    spec: root({
      holderIdentity: string,
      leaseDurationSeconds: { type: "integer" },
      acquireTime: string,
      renewTime: string,
      leaseTransitions: { type: "integer" },
      preferredHolder: string,
      strategy: string,
    }),
  }),
  "storage.k8s.io/volumeattachments": root({ spec: open, status: open }),
  "apps/daemonsets": root({ spec: open, status: open }),
  "policy/poddisruptionbudgets": root({
    spec: root({
      minAvailable: { "x-kubernetes-int-or-string": true },
      maxUnavailable: { "x-kubernetes-int-or-string": true },
      selector: labelSelector,
      unhealthyPodEvictionPolicy: { type: "string", enum: ["IfHealthyBudget", "AlwaysAllow"] },
    }),
    status: open,
  }),
};
