/** Just enough of the protobuf wire format to write messages of strings, booleans and nested messages. */

/** One field: a string, a bool, a nested message (as its fields), or several of them (repeated). */
export type ProtoValue = string | boolean | ProtoField[];
export type ProtoField = [fieldNumber: number, value: ProtoValue];

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let rest = n;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** Encodes fields in the order given (repeated fields are given as several entries with one number). */
export function encodeMessage(fields: ProtoField[]): Buffer {
  const parts: Buffer[] = [];
  for (const [number, value] of fields) {
    if (typeof value === "boolean") {
      if (value) parts.push(varint(number * 8), varint(1));
      continue;
    }
    const body = typeof value === "string" ? Buffer.from(value, "utf8") : encodeMessage(value);
    parts.push(varint(number * 8 + 2), varint(body.length), body);
  }
  return Buffer.concat(parts);
}
