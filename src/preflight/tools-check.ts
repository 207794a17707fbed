import { checkTools } from "../transports/tools.js";
import { type CheckOutcome, errorDetail } from "./outcome.js";

/** The local programs a run needs: kubectl for the cluster, git for checkpoints. */
export const RUN_TOOLS = ["kubectl", "git"];

export async function checkLocalTools(env: NodeJS.ProcessEnv = process.env): Promise<CheckOutcome> {
  try {
    await checkTools(RUN_TOOLS, env);
    return { subject: "tools", ok: true, detail: `${RUN_TOOLS.join(", ")} installed` };
  } catch (error) {
    return { subject: "tools", ok: false, detail: errorDetail(error) };
  }
}
