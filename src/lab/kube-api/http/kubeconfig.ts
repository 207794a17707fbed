import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parse as parseYaml, stringify } from "yaml";

/** What a kubeconfig for the emulator holds. */
export interface KubeconfigInput {
  url: string;
  context: string;
  /** PEM of the CA that signed the server certificate (TLS only). */
  caCert?: string;
  /** Bearer token (kubectl sends it only over TLS). */
  token?: string;
}

/** Renders a kubeconfig with one cluster, user and context, all named after the context. */
export function renderKubeconfig({ url, context, caCert, token }: KubeconfigInput): string {
  const cluster: Record<string, string> = { server: url };
  if (caCert) cluster["certificate-authority-data"] = Buffer.from(caCert).toString("base64");
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: context, cluster }],
    users: [{ name: context, user: token ? { token } : {} }],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    "current-context": context,
    preferences: {},
  });
}

/** Writes the kubeconfig (mode 0600: it may hold a token), creating the directory if needed. */
export async function writeKubeconfigFile(file: string, input: KubeconfigInput): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, renderKubeconfig(input), { mode: 0o600 });
}

/** The parts of a kubeconfig a control client needs, read back from the current context. */
export interface KubeconfigTarget {
  url: string;
  caCert?: string;
  token?: string;
}

/** Reads server URL, CA and token of the current (or given) context; throws with what is missing. */
export function parseKubeconfigTarget(text: string, context?: string): KubeconfigTarget {
  const doc = (parseYaml(text) ?? {}) as Record<string, unknown>;
  const name = context ?? (doc["current-context"] as string | undefined);
  const byName = (list: unknown, n: string | undefined) =>
    Array.isArray(list) ? (list as { name?: string }[]).find((e) => e?.name === n) : undefined;
  const ctx = byName(doc.contexts, name) as { context?: { cluster?: string; user?: string } } | undefined;
  if (!ctx?.context) throw new Error(`kubeconfig has no context ${JSON.stringify(name)}`);
  const cluster = byName(doc.clusters, ctx.context.cluster) as { cluster?: Record<string, string> } | undefined;
  const server = cluster?.cluster?.server;
  if (!server) throw new Error(`kubeconfig context ${JSON.stringify(name)} has no cluster server URL`);
  const user = byName(doc.users, ctx.context.user) as { user?: Record<string, string> } | undefined;
  const caData = cluster?.cluster?.["certificate-authority-data"];
  return {
    url: server,
    ...(caData ? { caCert: Buffer.from(caData, "base64").toString("utf8") } : {}),
    ...(user?.user?.token ? { token: user.user.token } : {}),
  };
}
