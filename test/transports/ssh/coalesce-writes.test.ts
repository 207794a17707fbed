import { Duplex } from "node:stream";
import { describe, expect, it } from "vitest";
import { coalesceWrites } from "../../../src/transports/ssh/coalesce-writes.js";

/** A stream that records what reaches the socket: each entry one write or writev call. */
function recordingStream() {
  const calls: string[][] = [];
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      calls.push([chunk.toString()]);
      done();
    },
    writev(chunks, done) {
      calls.push(chunks.map((c) => (c.chunk as Buffer).toString()));
      done();
    },
  });
  return { stream, calls };
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("coalesceWrites", () => {
  it("sends the writes of one tick as one writev, in order, and the next tick's apart", async () => {
    const { stream, calls } = recordingStream();
    coalesceWrites(stream);
    stream.write("len");
    stream.write("payload");
    stream.write("tag");
    expect(calls).toEqual([]);
    await nextTick();
    expect(calls).toEqual([["len", "payload", "tag"]]);
    stream.write("next");
    await nextTick();
    expect(calls).toEqual([["len", "payload", "tag"], ["next"]]);
  });

  it("flushes before the tick's I/O: a write made in a callback still leaves in its own tick", async () => {
    const { stream, calls } = recordingStream();
    coalesceWrites(stream);
    await new Promise<void>((resolve) => stream.write("a", () => resolve()));
    expect(calls).toEqual([["a"]]);
    stream.end("b");
    await new Promise((resolve) => stream.once("finish", resolve));
    expect(calls).toEqual([["a"], ["b"]]);
  });
});
