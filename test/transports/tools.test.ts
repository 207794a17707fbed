import { describe, expect, it } from "vitest";
import { MissingToolError } from "../../src/transports/errors.js";
import { checkTools } from "../../src/transports/tools.js";

describe("checkTools", () => {
  it("passes when kubectl and git are on PATH", async () => {
    await expect(checkTools(["kubectl", "git"])).resolves.toBeUndefined();
  });

  it("lists every missing program with how to install it", async () => {
    const error = await checkTools(["kubectl", "git"], { PATH: "/nonexistent" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingToolError);
    const message = (error as Error).message;
    expect(message).toMatch(/^kubectl and git are not installed \(not found on PATH\); nothing was run/);
    expect(message).toContain("kubectl: install kubectl");
    expect(message).toContain("git: install git (apt-get install git)");
  });
});
