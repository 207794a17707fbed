import type { CST } from "yaml";

/** Deeper than any runbook or inventory needs (the shipped runbook nests 8 levels); well below what overflows the stack. */
export const MAX_YAML_DEPTH = 64;

/**
 * The offset of the first collection nested deeper than `limit`, or undefined. Walks the CST (the
 * yaml library's parser builds it without recursion) with an explicit stack, so that a file of
 * thousands of `[` or indented keys is refused here, before anything recursive sees it.
 */
export function tooDeepAt(documents: readonly CST.Token[], limit = MAX_YAML_DEPTH): number | undefined {
  const stack: [CST.Token | undefined, number][] = documents.map((d) => [d, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop() as [CST.Token | undefined, number];
    if (!token) continue;
    switch (token.type) {
      case "document":
        stack.push([token.value, depth]);
        break;
      case "block-map":
      case "block-seq":
      case "flow-collection": {
        if (depth + 1 > limit) return token.offset;
        for (const item of token.items) {
          stack.push([item.value, depth + 1]);
          if ("key" in item) stack.push([item.key ?? undefined, depth + 1]);
        }
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}
