import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EditProblem } from "../../../src/checkpoint/edit/problem.js";
import { editYaml } from "../../../src/checkpoint/edit/yaml-edit.js";
import { FIXTURE_GITOPS } from "../git-sandbox.js";

const fixture = (file: string) => readFileSync(join(FIXTURE_GITOPS, file), "utf8");
const NODE = fixture("infrastructure/k3s1-node-config/k3s1-node.yaml");
const MONITORING = fixture("clusters/k3s-flux/monitoring.yaml");
const GOTK_SYNC = fixture("clusters/k3s-flux/flux-system/gotk-sync.yaml");

/** The fixture as an operator keeps it: comments everywhere, odd spacing, quoting styles, blank lines. */
const COMMENTED_KUSTOMIZATION = MONITORING.replace("apiVersion:", "# Monitoring waits for storage.\n\napiVersion:")
  .replace("  interval: 10m\n", "  interval: 10m    # two spaces would be normalised by a re-serialiser\n")
  .replace("  path: ./monitoring\n", '  path: "./monitoring"\n\n\n  # prune what left Git\n')
  .replace("    - name: infrastructure-storage\n", "    - name: 'infrastructure-storage'   # storage first\n")
  .concat("# end of file\n");

/** `text` with each [from, to] replaced exactly once: the only bytes an edit may change. */
function replaced(text: string, ...pairs: [string, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    expect(out.split(from).length - 1, `"${from}" occurs once`).toBe(1);
    out = out.replace(from, to);
  }
  return out;
}

describe("editYaml on the fixtures' real manifests", () => {
  it("sets a Flux Kustomization's spec.suspend with every comment, blank line and quote kept byte for byte", () => {
    const after = editYaml(COMMENTED_KUSTOMIZATION, { set: { "spec.suspend": true } });
    expect(after).toBe(replaced(COMMENTED_KUSTOMIZATION, ["    name: flux-system\n", "    name: flux-system\n  suspend: true\n"]));
    const flipped = editYaml(after, { set: { "spec.suspend": false, "spec.interval": "1h" } });
    expect(flipped).toBe(replaced(after, ["suspend: true\n", "suspend: false\n"], ["interval: 10m    # two", "interval: 1h    # two"]));
  });

  it("keeps the quoting style of a string it replaces", () => {
    const after = editYaml(COMMENTED_KUSTOMIZATION, { set: { "spec.path": "./monitoring/base", "spec.dependsOn[0].name": "core" } });
    expect(after).toBe(
      replaced(COMMENTED_KUSTOMIZATION, ['path: "./monitoring"', 'path: "./monitoring/base"'], ["'infrastructure-storage'", "'core'"]),
    );
  });

  it("re-registers the Node CR's disks under new keys as runbooks/longhorn-node.yaml does, the header comment kept", () => {
    const cleared = editYaml(NODE, { set: { "spec.allowScheduling": true, "spec.evictionRequested": false, "spec.disks": {} } });
    const disksAt = NODE.indexOf("  disks:\n");
    expect(cleared).toBe(`${NODE.slice(0, disksAt)}  disks: {}\n`);
    const disk = (name: string) => ({
      path: `/mnt/longhorn/${name}`,
      diskType: "filesystem",
      allowScheduling: true,
      evictionRequested: false,
      storageReserved: 0,
      tags: [],
    });
    let out = cleared;
    for (const name of ["sdf1", "sdg1"]) out = editYaml(out, { set: { [`spec.disks["${name}-20260101"]`]: disk(name) } });
    expect(out).toBe(
      `${NODE.slice(0, disksAt)}  disks:\n${["sdf1", "sdg1"]
        .map(
          (n) =>
            `    ${n}-20260101:\n      path: /mnt/longhorn/${n}\n      diskType: filesystem\n      allowScheduling: true\n      evictionRequested: false\n      storageReserved: 0\n      tags: []\n`,
        )
        .join("")}`,
    );
    expect(out.startsWith("# Longhorn Node CR for k3s1, managed by Flux")).toBe(true);
  });

  it("unsets keys and list items, leaving the lines around them as they were", () => {
    const after = editYaml(NODE, { unset: ["spec.disks.sdg1", "spec.tags"] });
    const sdg1 = NODE.slice(NODE.indexOf("    sdg1:\n"), NODE.indexOf("    sdh1:\n"));
    expect(after).toBe(replaced(NODE, [sdg1, ""], ["\n  tags: []\n", "\n"]));
    const list = editYaml(COMMENTED_KUSTOMIZATION, { unset: ["spec.dependsOn[0]"] });
    expect(list).toBe(
      replaced(COMMENTED_KUSTOMIZATION, ["  dependsOn:\n    - name: 'infrastructure-storage'   # storage first\n", "  dependsOn: []\n"]),
    );
  });

  it("selects a document of a multi-document file by kind and name, the others untouched", () => {
    const after = editYaml(GOTK_SYNC, { document: { kind: "Kustomization", name: "flux-system" }, set: { "spec.suspend": true } });
    expect(after).toBe(replaced(GOTK_SYNC, ["    name: flux-system\n", "    name: flux-system\n  suspend: true\n"]));
    const byKind = editYaml(GOTK_SYNC, { document: { kind: "GitRepository" }, set: { "spec.interval": "5m" } });
    expect(byKind).toBe(replaced(GOTK_SYNC, ["interval: 1m\n", "interval: 5m\n"]));
    const first = editYaml(GOTK_SYNC, { set: { "spec.ref.branch": "recovery" } });
    expect(first).toBe(replaced(GOTK_SYNC, ["branch: main\n", "branch: recovery\n"]));
  });

  it("is a no-op when the file already says it (a rerun changes nothing)", () => {
    const once = editYaml(COMMENTED_KUSTOMIZATION, {
      set: { "spec.suspend": true, "metadata.labels.recover": "k3s1" },
      unset: ["spec.prune"],
    });
    const twice = editYaml(once, { set: { "spec.suspend": true, "metadata.labels.recover": "k3s1" }, unset: ["spec.prune"] });
    expect(twice).toBe(once);
    expect(editYaml(NODE, { set: { "spec.disks.sdf1.tags": [], "spec.name": "k3s1" }, unset: ["spec.missing.deeper"] })).toBe(NODE);
  });
});

describe("editYaml refuses what cannot apply, naming the path", () => {
  const problem = (text: string, changes: Parameters<typeof editYaml>[1]) => {
    try {
      editYaml(text, changes);
    } catch (error) {
      expect(error).toBeInstanceOf(EditProblem);
      return error as EditProblem;
    }
    throw new Error("expected an EditProblem");
  };

  it("a path through a scalar", () => {
    const p = problem(NODE, { set: { "spec.name.first": "x" } });
    expect(p.message).toBe('spec.name is a scalar ("k3s1"), not a map or list');
    expect(p.path).toBe("spec.name.first");
    expect(problem(NODE, { unset: ["kind.x"] }).message).toBe('kind is a scalar ("Node"), not a map or list');
  });

  it("a document that is not in the file, listing the ones that are", () => {
    const p = problem(GOTK_SYNC, { document: { kind: "Kustomization", name: "apps" }, set: { "spec.suspend": true } });
    expect(p.message).toBe(
      "no document with kind Kustomization and name apps (the file holds: kind GitRepository and name flux-system; kind Kustomization and name flux-system)",
    );
    expect(problem(GOTK_SYNC, { document: { name: "flux-system" }, set: { a: 1 } }).message).toMatch(/^2 documents match name flux-system/);
  });

  it("list indexes past the end, keys on lists, and lists to create", () => {
    expect(problem(MONITORING, { set: { "spec.dependsOn[3].name": "x" } }).message).toBe("spec.dependsOn has 1 item; [3] is past its end");
    expect(problem(MONITORING, { set: { "spec.dependsOn.name": "x" } }).message).toMatch(/^spec.dependsOn is a list, not a map/);
    expect(problem(MONITORING, { set: { "spec.patches[0].patch": "x" } }).message).toBe(
      "spec.patches does not exist, so its list item [0] cannot be set",
    );
  });

  it("a file that is not YAML, with the line and column", () => {
    expect(problem("a: [1, 2\nb: 3\n", { set: { a: 1 } }).message).toMatch(/^the file is not valid YAML \(line \d+, column \d+\)/);
  });
});

describe("editYaml keeps the file's own layout where it adds", () => {
  it("flow collections stay flow, an emptied block list becomes []", () => {
    const text = "spec:\n  flow: {a: 1, b: [x]}\n  list:\n  - one\n";
    expect(editYaml(text, { set: { "spec.flow.c": 2 } })).toBe("spec:\n  flow: {a: 1, b: [x], c: 2}\n  list:\n  - one\n");
    expect(editYaml(text, { unset: ["spec.flow.b", "spec.list[0]"] })).toBe("spec:\n  flow: {a: 1}\n  list: []\n");
  });

  it("follows the file's list indentation and line endings, and a missing final newline", () => {
    expect(editYaml("a:\n- x\nb: 1", { set: { c: ["z"] } })).toBe("a:\n- x\nb: 1\nc:\n- z");
    expect(editYaml("a:\r\n  b: 1\r\n", { set: { "a.c": { d: 2 } } })).toBe("a:\r\n  b: 1\r\n  c:\r\n    d: 2\r\n");
  });

  it("fills an empty value and quotes strings Kubernetes would read as something else", () => {
    const after = editYaml("metadata:\n  labels:   # none yet\nspec: ~\n", {
      set: { "metadata.labels.enabled": "yes", "spec.mode": "0755" },
    });
    expect(after).toBe('metadata:\n  labels:   # none yet\n    enabled: "yes"\nspec:\n  mode: "0755"\n');
    expect(parse(after)).toEqual({ metadata: { labels: { enabled: "yes" } }, spec: { mode: "0755" } });
    expect(editYaml("a: 1\nb:", { set: { "b.c": 2 } })).toBe("a: 1\nb:\n  c: 2");
  });

  it("keeps a comment on the first key of a list item when removing a later one", () => {
    const text = "items:\n  - name: a   # first\n    keep: 1\n    drop: 2\n";
    expect(editYaml(text, { unset: ["items[0].drop"] })).toBe("items:\n  - name: a   # first\n    keep: 1\n");
  });
});

describe("editYaml on anchors and random edits", () => {
  it("refuses to change a value that an alias repeats elsewhere", () => {
    const text = "defaults: &d {retries: 3}\napp:\n  settings: *d\nother: 1\n";
    expect(() => editYaml(text, { set: { "defaults.retries": 5 } })).toThrow(/anchored as &d and repeated elsewhere as \*d/);
    expect(() => editYaml(text, { unset: ["defaults"] })).toThrow(EditProblem);
    expect(editYaml(text, { set: { other: 2 } })).toBe("defaults: &d {retries: 3}\napp:\n  settings: *d\nother: 2\n");
  });

  it("every edit of existing paths reads back as intended, and a repeated set is a no-op", () => {
    // A seeded walk over the fixtures' paths: editYaml itself checks that each result parses to the intended data.
    let state = 42;
    const rnd = (n: number) => {
      state = (state * 1664525 + 1013904223) % 4294967296;
      return Math.floor((state / 4294967296) * n);
    };
    const values: unknown[] = [1, "s", "yes", true, null, [], {}, ["a"], { k: "v" }, { deep: [1, { z: 2 }] }, "multi\nline", "a: b"];
    const pathsOf = (v: unknown, pre: (string | number)[]): (string | number)[][] =>
      Array.isArray(v)
        ? [pre, ...v.flatMap((x, i) => pathsOf(x, [...pre, i]))]
        : v && typeof v === "object"
          ? [pre, ...Object.entries(v).flatMap(([k, x]) => pathsOf(x, [...pre, k]))]
          : [pre];
    const format = (p: (string | number)[]) =>
      p.map((s, i) => (typeof s === "number" ? `[${s}]` : /^[\w-]+$/.test(s) ? `${i ? "." : ""}${s}` : `[${JSON.stringify(s)}]`)).join("");
    for (const start of [NODE, GOTK_SYNC, COMMENTED_KUSTOMIZATION, "a: {x: 1, y: [1, 2]}\nb:\n- p: 1\n  q: [a]\nc: |\n  text\nd:\n"]) {
      let text = start;
      for (let i = 0; i < 60; i++) {
        const paths = pathsOf(parse(text.split(/^---$/m)[0] as string), []).filter((p) => p.length > 0);
        if (paths.length === 0) break; // everything was unset
        const path = format(paths[rnd(paths.length)] as (string | number)[]);
        const changes = rnd(4) === 0 ? { unset: [path] } : { set: { [path]: values[rnd(values.length)] } };
        text = editYaml(text, changes);
        if (changes.set) expect(editYaml(text, changes)).toBe(text);
      }
    }
  });
});
