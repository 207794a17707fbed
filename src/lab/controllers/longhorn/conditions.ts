import type { Condition, ConditionStatus } from "./types.js";

/**
 * types.SetCondition: replaces the condition of `type`, keeping lastTransitionTime while the
 * status stays the same (so a verify polling "Ready since" sees a stable time). Pure.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: string,
): Condition[] {
  const list = [...(conditions ?? [])];
  const at = list.findIndex((c) => c.type === type);
  const old = at >= 0 ? list[at] : undefined;
  const next: Condition = {
    type,
    status,
    reason,
    message,
    lastProbeTime: "",
    lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now,
  };
  if (at >= 0) list[at] = next;
  else list.push(next);
  return list;
}

/** types.GetCondition's status, "Unknown" when there is no such condition. */
export function conditionStatus(conditions: readonly Condition[] | undefined, type: string): ConditionStatus {
  return conditions?.find((c) => c.type === type)?.status ?? "Unknown";
}
