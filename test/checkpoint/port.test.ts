import { describe, expect, it } from "vitest";
import { openCheckpoints } from "../../src/checkpoint/index.js";
import type { CheckpointPort } from "../../src/engine/ports.js";

describe("the checkpoint port", () => {
  it("GitCheckpoints is the engine's CheckpointPort (checked by the compiler, structurally)", () => {
    const port: CheckpointPort = openCheckpoints({ repoDir: "." });
    expect(typeof port.preflight).toBe("function");
    expect(typeof port.applyEdit).toBe("function");
    expect(typeof port.commitStage).toBe("function");
    expect(typeof port.committedStage).toBe("function");
  });
});
