import { InputError } from "../../errors.js";
import type { ResolvedHost } from "./config.js";
import { type JumpSpec, parseJump } from "./jump-spec.js";

/** Deeper than this, a chain of ProxyJump hosts is a loop in the config. */
const MAX_DEPTH = 8;

/**
 * The hosts to pass through, in order, to reach `target`, as OpenSSH builds them: `ProxyJump
 * a,b` reaches a first (following a's own ProxyJump, recursively), then b through a, then the
 * target through b. b's own ProxyJump does not count: ssh reaches it with `-J a`.
 */
export async function jumpChain(
  target: ResolvedHost,
  resolve: (spec: JumpSpec) => Promise<ResolvedHost>,
  path: string[] = [target.alias],
): Promise<ResolvedHost[]> {
  const source = target.sources[0] ?? "the ssh config";
  const hops: ResolvedHost[] = [];
  for (const hop of target.proxyJump) hops.push(await resolve(parseJump(hop, source)));
  const [first, ...rest] = hops;
  if (first === undefined) return [];
  const through = [...path, first.alias];
  if (through.length > MAX_DEPTH || path.includes(first.alias)) {
    throw new InputError(`ProxyJump in ${source} loops or goes too deep: ${through.join(" → ")}; fix the ProxyJump lines of these hosts`);
  }
  return [...(await jumpChain(first, resolve, through)), first, ...rest];
}
