import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { batchedWriter } from "../../src/report/batched-writer.js";

describe("batchedWriter", () => {
  it("writes the lines of one turn of the event loop at once, in order, and flush writes what is pending", async () => {
    const writes: string[] = [];
    const out = batchedWriter((text) => writes.push(text));
    out.write("a\n");
    out.write("b\n");
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(["a\nb\n"]);
    out.write("c\n");
    out.flush();
    expect(writes).toEqual(["a\nb\n", "c\n"]);
    await nextTurn();
    expect(writes).toEqual(["a\nb\n", "c\n"]);
  });
});
