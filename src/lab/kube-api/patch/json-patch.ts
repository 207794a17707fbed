import { ApiError, badRequest } from "../status.js";
import { arrayIndex, parsePointer } from "./json-pointer.js";
import { clone, deepEqual, isObject, type JsonObject, jsonTypeName } from "./json-value.js";

/** What the real API server answers for any JSON patch that does not apply. */
const REJECTED = "the server rejected our request due to an error in our request";

/** A patch operation that does not apply: 422 like the real server, with the precise reason as a cause. */
function doesNotApply(reason: string): ApiError {
  return new ApiError(422, "Invalid", REJECTED, { causes: [{ reason: "FieldValueInvalid", message: reason, field: "patch" }] });
}

type Container = JsonObject | unknown[];

/** The parent container of `path` and the last token, or undefined when a parent is missing. */
function locate(doc: unknown, tokens: string[]): { parent: Container; key: string } | undefined {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) {
      const index = arrayIndex(token);
      if (index === undefined || index >= node.length) return undefined;
      node = node[index];
    } else if (isObject(node) && Object.hasOwn(node, token)) {
      node = node[token];
    } else {
      return undefined;
    }
  }
  if (!Array.isArray(node) && !isObject(node)) return undefined;
  return { parent: node, key: tokens[tokens.length - 1] as string };
}

function invalidIndex(key: string): string {
  return `Unable to access invalid index: ${key}: invalid index referenced`;
}

function read(parent: Container, key: string, path: string, op: string): unknown {
  if (Array.isArray(parent)) {
    const index = arrayIndex(key);
    if (index === undefined || index >= parent.length) throw doesNotApply(`error in ${op} for path: '${path}': ${invalidIndex(key)}`);
    return parent[index];
  }
  if (!Object.hasOwn(parent, key)) return undefined;
  return parent[key];
}

function insert(parent: Container, key: string, value: unknown, path: string, op: string): void {
  if (!Array.isArray(parent)) {
    parent[key] = value;
    return;
  }
  if (key === "-") {
    parent.push(value);
    return;
  }
  const index = arrayIndex(key);
  if (index === undefined) throw doesNotApply(`error in ${op} for path: '${path}': value was not a proper array index: '${key}'`);
  if (index > parent.length) throw doesNotApply(`error in ${op} for path: '${path}': ${invalidIndex(key)}`);
  parent.splice(index, 0, value);
}

function erase(parent: Container, key: string, path: string, op: string): unknown {
  if (Array.isArray(parent)) {
    const index = arrayIndex(key);
    if (index === undefined || index >= parent.length) throw doesNotApply(`error in ${op} for path: '${path}': ${invalidIndex(key)}`);
    return parent.splice(index, 1)[0];
  }
  if (!Object.hasOwn(parent, key))
    throw doesNotApply(`error in ${op} for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`);
  const value = parent[key];
  delete parent[key];
  return value;
}

/** Reads a string member (`path`, `from`) of an operation. */
function member(operation: JsonObject, name: "path" | "from", op: string): { pointer: string; tokens: string[] } {
  const pointer = operation[name];
  if (typeof pointer !== "string")
    throw doesNotApply(
      name === "path" ? `${op} operation failed to decode path: missing value` : `${op} operation failed to decode from: missing value`,
    );
  const tokens = parsePointer(pointer);
  if (!tokens) throw doesNotApply(`${op} operation does not apply: doc is missing path: "${pointer}": missing value`);
  return { pointer, tokens };
}

function operationValue(operation: JsonObject, op: string): unknown {
  if (!Object.hasOwn(operation, "value")) throw doesNotApply(`${op} operation, missing value field: missing value`);
  return clone(operation.value);
}

/** Applies one operation to `doc` (mutating it) and returns the document (new when the root is replaced). */
function applyOne(doc: unknown, operation: JsonObject): unknown {
  const op = typeof operation.op === "string" ? operation.op : "unknown";
  switch (op) {
    case "add":
      return add(doc, member(operation, "path", op), operationValue(operation, op), op);
    case "remove": {
      const { pointer, tokens } = member(operation, "path", op);
      const at = tokens.length ? locate(doc, tokens) : undefined;
      if (!at) throw doesNotApply(`remove operation does not apply: doc is missing path: "${pointer}": missing value`);
      erase(at.parent, at.key, pointer, op);
      return doc;
    }
    case "replace": {
      const { pointer, tokens } = member(operation, "path", op);
      const value = operationValue(operation, op);
      if (!tokens.length) return value;
      const at = locate(doc, tokens);
      if (!at) throw doesNotApply(`replace operation does not apply: doc is missing path: ${pointer}: missing value`);
      if (read(at.parent, at.key, pointer, op) === undefined)
        throw doesNotApply(`replace operation does not apply: doc is missing key: ${pointer}: missing value`);
      if (Array.isArray(at.parent)) at.parent[Number(at.key)] = value;
      else at.parent[at.key] = value;
      return doc;
    }
    case "move":
    case "copy":
      return moveOrCopy(doc, operation, op);
    case "test": {
      const { pointer, tokens } = member(operation, "path", op);
      const expected = operationValue(operation, op);
      let actual: unknown = doc;
      if (tokens.length) {
        const at = locate(doc, tokens);
        if (!at) throw doesNotApply(`test operation does not apply: is missing path: ${pointer}: missing value`);
        actual = read(at.parent, at.key, pointer, op);
      }
      if (!deepEqual(actual, expected)) throw doesNotApply(`testing value ${pointer} failed: test failed`);
      return doc;
    }
    default:
      throw doesNotApply(`Unexpected kind: ${op}`);
  }
}

function add(doc: unknown, target: { pointer: string; tokens: string[] }, value: unknown, op: string): unknown {
  if (!target.tokens.length) return value;
  const at = locate(doc, target.tokens);
  if (!at) throw doesNotApply(`${op} operation does not apply: doc is missing path: "${target.pointer}": missing value`);
  insert(at.parent, at.key, value, target.pointer, op);
  return doc;
}

function moveOrCopy(doc: unknown, operation: JsonObject, op: "move" | "copy"): unknown {
  const from = member(operation, "from", op);
  const to = member(operation, "path", op);
  if (op === "move" && to.pointer.startsWith(`${from.pointer}/`))
    throw doesNotApply(`move operation does not apply: "from" ${from.pointer} is a proper prefix of "path" ${to.pointer}`);
  let value: unknown = doc;
  if (from.tokens.length) {
    const source = locate(doc, from.tokens);
    if (!source) throw doesNotApply(`${op} operation does not apply: doc is missing from path: ${from.pointer}: missing value`);
    value = op === "move" ? erase(source.parent, source.key, from.pointer, op) : read(source.parent, source.key, from.pointer, op);
    if (value === undefined) throw doesNotApply(`${op} operation does not apply: doc is missing from path: ${from.pointer}: missing value`);
  } else if (op === "move" && to.tokens.length) {
    throw doesNotApply(`move operation does not apply: "from" ${from.pointer} is a proper prefix of "path" ${to.pointer}`);
  }
  if (!to.tokens.length) return clone(value);
  const at = locate(doc, to.tokens);
  if (!at) throw doesNotApply(`${op} operation does not apply: doc is missing destination path: ${to.pointer}: missing value`);
  insert(at.parent, at.key, op === "copy" ? clone(value) : value, to.pointer, op);
  return doc;
}

/**
 * RFC 6902 JSON patch (add, remove, replace, move, copy, test), all or nothing. A body that is not
 * an array of objects is a 400 BadRequest; an operation that does not apply is a 422 Invalid with
 * the real server's message and the precise reason in `details.causes`.
 */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations))
    throw badRequest(`json: cannot unmarshal ${jsonTypeName(operations)} into Go value of type jsonpatch.Patch`);
  for (const operation of operations)
    if (!isObject(operation))
      throw badRequest(`json: cannot unmarshal ${jsonTypeName(operation)} into Go value of type jsonpatch.Operation`);
  let doc = clone(target);
  for (const operation of operations as JsonObject[]) doc = applyOne(doc, operation);
  return doc;
}
