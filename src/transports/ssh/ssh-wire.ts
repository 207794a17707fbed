/** SSH wire-format data (RFC 4251 §5): the reader for certificates and key exchange packets, and the writers the probe needs. */

/** Thrown when data ends early or holds a field that cannot be what it claims. */
export class WireError extends Error {}

/** Reads SSH wire-format fields in order; every read past the end throws a WireError. */
export class WireReader {
  private offset = 0;

  constructor(readonly data: Buffer) {}

  /** Where the next field starts (for "everything signed so far"). */
  get position(): number {
    return this.offset;
  }

  get done(): boolean {
    return this.offset === this.data.length;
  }

  byte(): number {
    this.need(1);
    return this.data[this.offset++] as number;
  }

  uint32(): number {
    this.need(4);
    const value = this.data.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  uint64(): bigint {
    this.need(8);
    const value = this.data.readBigUInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  /** A length-prefixed string, as bytes. */
  bytes(): Buffer {
    const length = this.uint32();
    this.need(length);
    const value = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** A length-prefixed string, as text (names and principals are ASCII/UTF-8). */
  string(): string {
    return this.bytes().toString("utf8");
  }

  /** A length-prefixed field kept with its length prefix, to copy into another blob as is. */
  raw(): Buffer {
    const start = this.offset;
    this.bytes();
    return this.data.subarray(start, this.offset);
  }

  /** The rest of the data, unread. */
  rest(): Buffer {
    const value = this.data.subarray(this.offset);
    this.offset = this.data.length;
    return value;
  }

  private need(count: number): void {
    if (this.offset + count > this.data.length) throw new WireError("data ends in the middle of a field");
  }
}

/** A length-prefixed string. */
export function wireString(value: Buffer | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** The strings packed in a string (principals, options): a list of length-prefixed strings. */
export function readStringList(data: Buffer): Buffer[] {
  const reader = new WireReader(data);
  const items: Buffer[] = [];
  while (!reader.done) items.push(reader.bytes());
  return items;
}

/** An mpint's magnitude without the sign byte or leading zeros (for JWK `n`, `e`). */
export function mpintMagnitude(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  return value.subarray(start);
}
