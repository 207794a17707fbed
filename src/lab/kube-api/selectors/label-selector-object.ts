/** metav1.LabelSelector objects (matchLabels, matchExpressions), as PDBs and DaemonSets carry them. */
import { parseLabelSelector } from "./label.js";

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A predicate over labels; a missing selector matches nothing, an empty one everything (policy/v1 PDB rules). */
export function labelSelectorMatcher(selector: LabelSelectorObject | undefined): (labels: Record<string, string> | undefined) => boolean {
  if (!selector) return () => false;
  const parts = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    if (operator === "In") parts.push(`${key} in (${values.join(",")})`);
    else if (operator === "NotIn") parts.push(`${key} notin (${values.join(",")})`);
    else if (operator === "Exists") parts.push(key);
    else if (operator === "DoesNotExist") parts.push(`!${key}`);
    else return () => false;
  }
  return parseLabelSelector(parts.join(","));
}
