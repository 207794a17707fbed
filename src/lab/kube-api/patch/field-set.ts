import { compareElements, type FieldPath } from "./field-path.js";
import { isObject } from "./json-value.js";

interface Node {
  member: boolean;
  children: Map<string, Node>;
}

/** An immutable set of field paths: what one manager owns, or what a change touched. */
export class FieldSet {
  private readonly byKey: ReadonlyMap<string, FieldPath>;
  /** Every member and every prefix of one, built on first use (sets are immutable). */
  private covered?: Set<string>;

  private constructor(byKey: ReadonlyMap<string, FieldPath>) {
    this.byKey = byKey;
  }

  static empty(): FieldSet {
    return new FieldSet(new Map());
  }

  static of(paths: Iterable<FieldPath>): FieldSet {
    const byKey = new Map<string, FieldPath>();
    for (const path of paths) byKey.set(JSON.stringify(path), [...path]);
    return new FieldSet(byKey);
  }

  /** Decodes a `fieldsV1` tree; a `.` key marks a node that is itself a member. */
  static fromFieldsV1(tree: unknown): FieldSet {
    const paths: FieldPath[] = [];
    const walk = (node: unknown, prefix: string[]): void => {
      if (!isObject(node)) return;
      for (const [element, child] of Object.entries(node)) {
        if (element === ".") continue;
        const path = [...prefix, element];
        if (!isObject(child) || Object.keys(child).length === 0 || "." in child) paths.push(path);
        walk(child, path);
      }
    };
    walk(tree, []);
    return FieldSet.of(paths);
  }

  get size(): number {
    return this.byKey.size;
  }

  isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  has(path: FieldPath): boolean {
    return this.byKey.has(JSON.stringify(path));
  }

  /** True when `path` or anything below it is a member. */
  coversAnyOf(path: FieldPath): boolean {
    if (!this.covered) {
      this.covered = new Set();
      for (const member of this.byKey.values())
        for (let n = 1; n <= member.length; n++) this.covered.add(JSON.stringify(member.slice(0, n)));
    }
    return this.covered.has(JSON.stringify(path));
  }

  union(other: FieldSet): FieldSet {
    return FieldSet.of([...this.byKey.values(), ...other.byKey.values()]);
  }

  difference(other: FieldSet): FieldSet {
    return this.filter((path) => !other.has(path));
  }

  intersection(other: FieldSet): FieldSet {
    return this.filter((path) => other.has(path));
  }

  filter(keep: (path: FieldPath) => boolean): FieldSet {
    return FieldSet.of([...this.byKey.values()].filter(keep));
  }

  equals(other: FieldSet): boolean {
    return this.size === other.size && [...this.byKey.keys()].every((key) => other.byKey.has(key));
  }

  private tree(): Node {
    const root: Node = { member: false, children: new Map() };
    for (const path of this.byKey.values()) {
      let node = root;
      for (const element of path) {
        let child = node.children.get(element);
        if (!child) {
          child = { member: false, children: new Map() };
          node.children.set(element, child);
        }
        node = child;
      }
      node.member = true;
    }
    return root;
  }

  /** Members in structured-merge-diff's order: at each level the leaves first, then the subtrees. */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    const walk = (node: Node, prefix: string[]): void => {
      const sorted = [...node.children.entries()].sort(([a], [b]) => compareElements(a, b));
      for (const [element, child] of sorted) if (child.member) out.push([...prefix, element]);
      for (const [element, child] of sorted) if (child.children.size) walk(child, [...prefix, element]);
    };
    walk(this.tree(), []);
    return out;
  }

  /** The real `fieldsV1` encoding: nested `f:`/`k:`/`v:` keys, `.: {}` for a member with children. */
  toFieldsV1(): Record<string, unknown> {
    const encode = (node: Node, self: boolean): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      if (self && node.children.size) out["."] = {};
      const sorted = [...node.children.entries()].sort(([a], [b]) => compareElements(a, b));
      for (const [element, child] of sorted) out[element] = encode(child, child.member);
      return out;
    };
    return encode(this.tree(), false);
  }
}
