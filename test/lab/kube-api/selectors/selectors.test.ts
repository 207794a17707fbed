import { describe, expect, it } from "vitest";
import { parseFieldSelector, parseLabelSelector } from "../../../../src/lab/kube-api/selectors/index.js";
import { ApiError } from "../../../../src/lab/kube-api/status.js";
import type { KubeObject } from "../../../../src/lab/kube-api/types.js";

function rejection(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("the selector parsed");
}

const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe("parseLabelSelector", () => {
  // Match tables from k8s.io/apimachinery labels/selector_test.go (TestSelectorMatches, TestSetSelectorParser, …).
  const MATCHES: [string, Record<string, string>, boolean][] = [
    ["", { x: "y" }, true],
    ["x=y", { x: "y" }, true],
    ["x=y,z=w", { x: "y", z: "w" }, true],
    ["x!=y,z!=w", { x: "z", z: "a" }, true],
    ["notin=in", { notin: "in" }, true],
    ["x", { x: "z" }, true],
    ["!x", { y: "z" }, true],
    ["x>1", { x: "2" }, true],
    ["x<1", { x: "0" }, true],
    ["x=z", {}, false],
    ["x=y", { x: "z" }, false],
    ["x=y,z=w", { x: "w", z: "w" }, false],
    ["x!=y,z!=w", { x: "z", z: "w" }, false],
    ["x", { y: "z" }, false],
    ["!x", { x: "z" }, false],
    ["x>1", { x: "0" }, false],
    ["x<1", { x: "2" }, false],
    ["x>1", { x: "v2" }, false],
    ["x==y", { x: "y" }, true],
    ["x in (foo),y notin (alpha)", { x: "foo", y: "baz" }, true],
    ["x in (foo),y in (alpha)", { x: "foo", y: "baz" }, false],
    ["x notin (),y", { y: "" }, true],
    ["!x,y", { y: "" }, true],
    ["x notin (),!y", { y: "" }, false],
    ["x in ()", { y: "baz" }, false],
    ["x in ()", { x: "" }, true],
    ["x in (abc,)", { x: "" }, true],
    ["x notin (, a)", { x: "a" }, false],
    ["a in (x,y,notin, z,in)", { a: "in" }, true],
    ["this-is-another-dns.domain.com/key-with-dash in (so,what)", { "this-is-another-dns.domain.com/key-with-dash": "what" }, true],
    ["0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)", { "0.1.2.domain/99": "10.10.100.1" }, false],
    ["foo  in\t (abc)", { foo: "abc" }, true],
    ["x notin\n (abc)", { x: "abd" }, true],
    ["\rx", { x: "" }, true],
    ["x=", { x: "" }, true],
    ["x= ,z= ", { x: "", z: "" }, true],
    ["x,y", { x: "1", y: "2" }, true],
    [
      "app.kubernetes.io/name=longhorn-manager,node.longhorn.io/create-default-disk!=true",
      { "app.kubernetes.io/name": "longhorn-manager" },
      true,
    ],
  ];

  it.each(MATCHES)("%j on %j → %s", (selector, labels, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it("matches everything with an empty selector, also objects without labels", () => {
    expect(parseLabelSelector("")(undefined)).toBe(true);
    expect(parseLabelSelector("!gone")(undefined)).toBe(true);
    expect(parseLabelSelector("there")(undefined)).toBe(false);
  });

  // Bad strings of TestSelectorParse/TestSetSelectorParser, with the messages the real parser gives.
  const REJECTS: [string, string][] = [
    ["x==a==b", "found '==', expected: ',' or 'end of string'"],
    ["!x=a", "found '=', expected: ',' or 'end of string'"],
    ["x<a", `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    [",x,y", "found ',', expected: !, identifier, or 'end of string'"],
    ["x nott in (y)", "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
    ["a in (xyz),", "found '', expected: identifier after ','"],
    ["a in (xyz)b notin ()", "found 'b', expected: ',' or 'end of string'"],
    ["a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ["a notin(", "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ["a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ["(", "found '(', expected: !, identifier, or 'end of string'"],
    ["a in x", "unable to parse requirement: found 'x' expected: '('"],
    ["a$b", `unable to parse requirement: <nil>: Invalid value: "a$b": ${NAME_PART}`],
    ["x=a||y=b", `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE}`],
    [
      `${"a".repeat(64)}=b`,
      `unable to parse requirement: <nil>: Invalid value: "${"a".repeat(64)}": name part must be no more than 63 characters`,
    ],
  ];

  it.each(REJECTS)("rejects %j with 400 %j", (selector, message) => {
    const error = rejection(() => parseLabelSelector(selector));
    expect([error.code, error.reason, error.message]).toEqual([400, "BadRequest", message]);
  });

  it("checks the prefix of a key as a DNS subdomain", () => {
    expect(rejection(() => parseLabelSelector("Bad_Prefix/x")).message).toMatch(
      /^unable to parse requirement: <nil>: Invalid value: "Bad_Prefix\/x": prefix part a lowercase RFC 1123 subdomain must consist of/,
    );
    expect(rejection(() => parseLabelSelector("/x")).message).toBe(
      'unable to parse requirement: <nil>: Invalid value: "/x": prefix part must be non-empty',
    );
  });
});

describe("parseFieldSelector", () => {
  const pod = (name: string, namespace: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace },
    spec,
    status,
  });
  const pods = [
    pod("longhorn-manager-a", "longhorn-system", { nodeName: "k3s1" }, { phase: "Running" }),
    pod("longhorn-manager-b", "longhorn-system", { nodeName: "k3s2" }, { phase: "Running" }),
    pod("pending", "default", {}, { phase: "Pending" }),
    pod("a,b=c", "default", { nodeName: "k3s1" }),
  ];
  const names = (selector: string, extra = ["spec.nodeName", "status.phase"]) =>
    pods.filter(parseFieldSelector(selector, extra)).map((p) => p.metadata.name);

  const CASES: [string, string[]][] = [
    ["", ["longhorn-manager-a", "longhorn-manager-b", "pending", "a,b=c"]],
    ["metadata.name=pending", ["pending"]],
    ["metadata.name==pending", ["pending"]],
    ["metadata.namespace!=default", ["longhorn-manager-a", "longhorn-manager-b"]],
    ["spec.nodeName=k3s1,status.phase=Running", ["longhorn-manager-a"]],
    ["spec.nodeName=", ["pending"]],
    ["spec.nodeName!=k3s1,metadata.namespace=longhorn-system", ["longhorn-manager-b"]],
    ["metadata.name=a\\,b\\=c", ["a,b=c"]],
    ["metadata.name=nope", []],
  ];

  it.each(CASES)("%j selects %j", (selector, expected) => {
    expect(names(selector)).toEqual(expected);
  });

  it("reports an unset boolean field as false, as the real server does (spec.unschedulable)", () => {
    const nodes: KubeObject[] = [
      { apiVersion: "v1", kind: "Node", metadata: { name: "k3s1" }, spec: {} },
      { apiVersion: "v1", kind: "Node", metadata: { name: "k3s2" }, spec: { unschedulable: true } },
    ];
    expect(nodes.filter(parseFieldSelector("spec.unschedulable=false", ["spec.unschedulable"])).map((n) => n.metadata.name)).toEqual([
      "k3s1",
    ]);
    expect(nodes.filter(parseFieldSelector("spec.unschedulable=true", ["spec.unschedulable"])).map((n) => n.metadata.name)).toEqual([
      "k3s2",
    ]);
  });

  it("rejects fields the type does not support, worded for built-ins and custom resources", () => {
    const builtin = rejection(() => parseFieldSelector("status.hostIP=127.0.0.2", ["spec.nodeName"]));
    expect([builtin.code, builtin.reason, builtin.message]).toEqual([400, "BadRequest", "field label not supported: status.hostIP"]);
    expect(rejection(() => parseFieldSelector("spec.nodeID=k3s1", [], { custom: true })).message).toBe(
      '"spec.nodeID" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });

  it("rejects malformed selectors with the real messages", () => {
    expect(rejection(() => parseFieldSelector("metadata.name", [])).message).toBe(
      "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    );
    expect(rejection(() => parseFieldSelector("metadata.name=a\\x", [])).message).toBe(
      "invalid field selector: invalid escape sequence: \\x",
    );
    expect(rejection(() => parseFieldSelector("metadata.name=a=b", [])).message).toBe(
      "invalid field selector: unescaped character in value: =",
    );
  });
});
