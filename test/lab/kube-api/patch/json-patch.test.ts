import { describe, expect, it } from "vitest";
import { jsonPatch } from "../../../../src/lab/kube-api/patch/index.js";
import { deepFreeze } from "../../../../src/lab/kube-api/patch/json-value.js";
import { ApiError } from "../../../../src/lab/kube-api/status.js";

function failure(target: unknown, operations: unknown): ApiError {
  try {
    jsonPatch(deepFreeze(target), deepFreeze(operations));
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("the patch applied");
}

// RFC 6902 Appendix A examples that succeed.
const APPLIES: [string, unknown, unknown[], unknown][] = [
  ["A.1 add an object member", { foo: "bar" }, [{ op: "add", path: "/baz", value: "qux" }], { baz: "qux", foo: "bar" }],
  ["A.2 add an array element", { foo: ["bar", "baz"] }, [{ op: "add", path: "/foo/1", value: "qux" }], { foo: ["bar", "qux", "baz"] }],
  ["A.3 remove an object member", { baz: "qux", foo: "bar" }, [{ op: "remove", path: "/baz" }], { foo: "bar" }],
  ["A.4 remove an array element", { foo: ["bar", "qux", "baz"] }, [{ op: "remove", path: "/foo/1" }], { foo: ["bar", "baz"] }],
  ["A.5 replace a value", { baz: "qux", foo: "bar" }, [{ op: "replace", path: "/baz", value: "boo" }], { baz: "boo", foo: "bar" }],
  [
    "A.6 move a value",
    { foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } },
    [{ op: "move", from: "/foo/waldo", path: "/qux/thud" }],
    { foo: { bar: "baz" }, qux: { corge: "grault", thud: "fred" } },
  ],
  [
    "A.7 move an array element",
    { foo: ["all", "grass", "cows", "eat"] },
    [{ op: "move", from: "/foo/1", path: "/foo/3" }],
    { foo: ["all", "cows", "eat", "grass"] },
  ],
  [
    "A.8 test a value: success",
    { baz: "qux", foo: ["a", 2, "c"] },
    [
      { op: "test", path: "/baz", value: "qux" },
      { op: "test", path: "/foo/1", value: 2 },
    ],
    { baz: "qux", foo: ["a", 2, "c"] },
  ],
  [
    "A.10 add a nested member object",
    { foo: "bar" },
    [{ op: "add", path: "/child", value: { grandchild: {} } }],
    { foo: "bar", child: { grandchild: {} } },
  ],
  ["A.11 ignore unrecognized elements", { foo: "bar" }, [{ op: "add", path: "/baz", value: "qux", xyz: 123 }], { foo: "bar", baz: "qux" }],
  ["A.14 ~ escape ordering", { "/": 9, "~1": 10 }, [{ op: "test", path: "/~01", value: 10 }], { "/": 9, "~1": 10 }],
  ["A.16 add an array value", { foo: ["bar"] }, [{ op: "add", path: "/foo/-", value: ["abc", "def"] }], { foo: ["bar", ["abc", "def"]] }],
  ["copy a subtree", { a: { b: [1] } }, [{ op: "copy", from: "/a", path: "/c" }], { a: { b: [1] }, c: { b: [1] } }],
  [
    "test compares objects regardless of key order",
    { a: { x: 1, y: 2 } },
    [{ op: "test", path: "/a", value: { y: 2, x: 1 } }],
    { a: { x: 1, y: 2 } },
  ],
  ["add at the end index", { a: [1] }, [{ op: "add", path: "/a/1", value: 2 }], { a: [1, 2] }],
  ["replace the whole document", { a: 1 }, [{ op: "replace", path: "", value: { b: 2 } }], { b: 2 }],
  ["keys with / and ~", {}, [{ op: "add", path: "/metadata~1x~0y", value: 1 }], { "metadata/x~y": 1 }],
  [
    "remove a label whose key has a slash",
    { metadata: { labels: { "node.longhorn.io/create-default-disk": "true", keep: "1" } } },
    [{ op: "remove", path: "/metadata/labels/node.longhorn.io~1create-default-disk" }],
    { metadata: { labels: { keep: "1" } } },
  ],
];

// Operations that do not apply: 422 with the real server's message; the reason is the evanphx/json-patch text.
const REJECTS: [string, unknown, unknown[], string][] = [
  ["A.9 test a value: error", { baz: "qux" }, [{ op: "test", path: "/baz", value: "bar" }], "testing value /baz failed: test failed"],
  [
    "A.12 add to a nonexistent target",
    { foo: "bar" },
    [{ op: "add", path: "/baz/bat", value: "qux" }],
    'add operation does not apply: doc is missing path: "/baz/bat": missing value',
  ],
  [
    "A.15 strings and numbers differ",
    { "/": 9, "~1": 10 },
    [{ op: "test", path: "/~01", value: "10" }],
    "testing value /~01 failed: test failed",
  ],
  [
    "remove a missing key",
    { a: {} },
    [{ op: "remove", path: "/a/b" }],
    "error in remove for path: '/a/b': Unable to remove nonexistent key: b: missing value",
  ],
  [
    "replace a missing key",
    { a: {} },
    [{ op: "replace", path: "/a/b", value: 1 }],
    "replace operation does not apply: doc is missing key: /a/b: missing value",
  ],
  [
    "replace under a missing parent",
    {},
    [{ op: "replace", path: "/a/b", value: 1 }],
    "replace operation does not apply: doc is missing path: /a/b: missing value",
  ],
  [
    "add past the end of an array",
    { a: [1] },
    [{ op: "add", path: "/a/5", value: 1 }],
    "error in add for path: '/a/5': Unable to access invalid index: 5: invalid index referenced",
  ],
  [
    "an index with a leading zero",
    { a: [1, 2] },
    [{ op: "remove", path: "/a/01" }],
    "error in remove for path: '/a/01': Unable to access invalid index: 01: invalid index referenced",
  ],
  [
    "move from a missing path",
    {},
    [{ op: "move", from: "/x/y", path: "/z" }],
    "move operation does not apply: doc is missing from path: /x/y: missing value",
  ],
  [
    "copy from a missing key",
    { x: {} },
    [{ op: "copy", from: "/x/y", path: "/z" }],
    "copy operation does not apply: doc is missing from path: /x/y: missing value",
  ],
  [
    "move into its own child",
    { a: { b: 1 } },
    [{ op: "move", from: "/a", path: "/a/b/c" }],
    'move operation does not apply: "from" /a is a proper prefix of "path" /a/b/c',
  ],
  ["an unknown op", {}, [{ op: "frobnicate", path: "/a" }], "Unexpected kind: frobnicate"],
  ["a missing path", {}, [{ op: "add", value: 1 }], "add operation failed to decode path: missing value"],
  ["a missing value", {}, [{ op: "add", path: "/a" }], "add operation, missing value field: missing value"],
  [
    "a pointer without a leading slash",
    { a: 1 },
    [{ op: "remove", path: "a" }],
    'remove operation does not apply: doc is missing path: "a": missing value',
  ],
];

describe("jsonPatch (RFC 6902)", () => {
  it.each(APPLIES)("%s", (_name, target, operations, expected) => {
    expect(jsonPatch(deepFreeze(target), deepFreeze(operations))).toEqual(expected);
  });

  it.each(REJECTS)("rejects %s with 422", (_name, target, operations, reason) => {
    const error = failure(target, operations);
    expect(error.code).toBe(422);
    expect(error.reason).toBe("Invalid");
    expect(error.message).toBe("the server rejected our request due to an error in our request");
    expect(error.details?.causes).toEqual([{ reason: "FieldValueInvalid", message: reason, field: "patch" }]);
  });

  it("is all or nothing: a later failing test leaves no partial change behind", () => {
    const target = { spec: { replicas: 1 } };
    const error = failure(target, [
      { op: "replace", path: "/spec/replicas", value: 3 },
      { op: "test", path: "/spec/replicas", value: 1 },
    ]);
    expect(error.code).toBe(422);
    expect(target).toEqual({ spec: { replicas: 1 } });
  });

  it("answers 400 BadRequest when the body is not an array of operations", () => {
    const notArray = failure({}, { op: "add", path: "/a", value: 1 });
    expect([notArray.code, notArray.reason, notArray.message]).toEqual([
      400,
      "BadRequest",
      "json: cannot unmarshal object into Go value of type jsonpatch.Patch",
    ]);
    const notObject = failure({}, ["add"]);
    expect([notObject.code, notObject.message]).toEqual([400, "json: cannot unmarshal string into Go value of type jsonpatch.Operation"]);
  });

  it("does not share values with the operations", () => {
    const value = { list: [1] };
    const result = jsonPatch({}, [{ op: "add", path: "/v", value }]) as { v: { list: number[] } };
    result.v.list.push(2);
    expect(value.list).toEqual([1]);
  });
});
