import { describe, expect, it } from "vitest";
import { parseYamlPath } from "../../src/source/yaml-path.js";

describe("parseYamlPath", () => {
  it("reads dotted keys, quoted keys and list indexes", () => {
    expect(parseYamlPath("spec.suspend")).toEqual({ segments: ["spec", "suspend"] });
    expect(parseYamlPath('metadata.labels["node.longhorn.io/create-default-disk"]')).toEqual({
      segments: ["metadata", "labels", "node.longhorn.io/create-default-disk"],
    });
    expect(parseYamlPath("spec.disks['sdf1-2026'].tags[0]")).toEqual({ segments: ["spec", "disks", "sdf1-2026", "tags", 0] });
  });

  it("says where a path goes wrong", () => {
    expect(parseYamlPath("spec..x")).toEqual({ error: 'expected a key (letters, digits, "_" or "-"); quote other keys as ["…"]', at: 5 });
    expect(parseYamlPath("metadata.labels[node.io]")).toMatchObject({ at: 15 });
    expect(parseYamlPath("a/b")).toMatchObject({ at: 1 });
    expect(parseYamlPath("")).toMatchObject({ error: "the path is empty" });
  });
});
