/** A cycle in a dependency graph as the list of ids along it (first id repeated last), or undefined. */
export function findCycle(nodes: readonly string[], edges: (id: string) => readonly string[]): string[] | undefined {
  const state = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = done
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 1);
    stack.push(id);
    for (const next of edges(id)) {
      const s = state.get(next);
      if (s === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (s === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 2);
    return undefined;
  };
  for (const id of nodes) {
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return undefined;
}

/** Kahn's algorithm, stable: among ready nodes the earliest declared goes first. */
export function topologicalOrder(nodes: readonly string[], edges: (id: string) => readonly string[]): string[] {
  const index = new Map(nodes.map((n, i) => [n, i]));
  const pending = new Map(nodes.map((n) => [n, edges(n).filter((e) => index.has(e)).length]));
  const dependents = new Map<string, string[]>();
  for (const n of nodes) {
    for (const dep of edges(n)) {
      if (!index.has(dep)) continue;
      const list = dependents.get(dep);
      if (list) list.push(n);
      else dependents.set(dep, [n]);
    }
  }
  const ready = nodes.filter((n) => pending.get(n) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => (index.get(a) as number) - (index.get(b) as number));
    const next = ready.shift() as string;
    order.push(next);
    for (const d of dependents.get(next) ?? []) {
      const left = (pending.get(d) as number) - 1;
      pending.set(d, left);
      if (left === 0) ready.push(d);
    }
  }
  return order;
}
