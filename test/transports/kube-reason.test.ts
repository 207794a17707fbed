import { describe, expect, it } from "vitest";
import { kubeReason, wantsJson } from "../../src/transports/kube-reason.js";

describe("kubeReason", () => {
  // Messages as kubectl prints them (the emulator tests check the real ones end to end).
  it.each([
    ['Error from server (NotFound): nodes.longhorn.io "k3s9" not found', "NotFound"],
    ['Error from server (AlreadyExists): configmaps "x" already exists', "AlreadyExists"],
    [
      'Error from server (Conflict): Operation cannot be fulfilled on leases.coordination.k8s.io "l": the object has been modified',
      "Conflict",
    ],
    ['Error from server (Forbidden): nodes is forbidden: User "x" cannot list resource "nodes"', "Forbidden"],
    ["error: You must be logged in to the server (Unauthorized)", "Unauthorized"],
    ['The Node "k3s1" is invalid: metadata.name: Required value', "Invalid"],
    ["The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?", "Unreachable"],
    ["Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded while awaiting headers)", "Timeout"],
    ["error: timed out waiting for the condition on nodes/k3s1", "Timeout"],
    ["Error from server (InternalError): Internal error occurred: boom", "Other"],
    ['error: the server doesn\'t have a resource type "nope"', "Other"],
    [
      'E0101 memcache.go:265] couldn\'t get current server API group list: Get "https://127.0.0.1:6443/api?timeout=32s": EOF',
      "Unreachable",
    ],
    ["error: error parsing STDIN: unexpected EOF", "Other"],
  ])("%s → %s", (stderr, reason) => {
    expect(kubeReason(stderr)).toBe(reason);
  });

  it("kubectl prompting for credentials (none in the kubeconfig) is Unauthorized", () => {
    expect(kubeReason("error: EOF\n", "Please enter Username: ")).toBe("Unauthorized");
    expect(kubeReason("error: EOF\n")).toBe("Other");
  });
});

describe("wantsJson", () => {
  it.each([
    [["get", "nodes", "-o", "json"], true],
    [["get", "nodes", "-ojson"], true],
    [["get", "nodes", "-o=json"], true],
    [["get", "nodes", "--output", "json"], true],
    [["get", "nodes", "--output=json"], true],
    [["get", "nodes", "-o", "yaml"], false],
    [["get", "nodes", "-o", "jsonpath={.items}"], false],
    [["label", "node", "json"], false],
  ])("%j → %s", (argv, expected) => {
    expect(wantsJson(argv as string[])).toBe(expected);
  });
});
