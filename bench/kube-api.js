// kube-api emulator: `kubectl get` against it (warm discovery cache) vs `kubectl version --client`,
// spawned the same way and interleaved so both see the same machine noise. The emulator runs in
// this process; kubectl is spawned asynchronously so the server can answer. Needs `npm run build`.
//
//   node bench/kube-api.js [--runs N]      prints the table; the lead wires kubeApi() into run.js
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmtMs, fmtRatio, median, ms, ratio, table } from "./stats.js";

const KUBECTL = process.env.KUBECTL ?? "/usr/bin/kubectl";
export const TARGET_RATIO = 1.5; // median(kubectl get) / median(kubectl version --client)

function timeKubectl(args, env) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    execFile(KUBECTL, args, { env, timeout: 30_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const elapsed = performance.now() - start;
      if (error) reject(new Error(`kubectl ${args.join(" ")} failed: ${error.message}\n${stderr}`));
      else resolve({ elapsed, stdout });
    });
  });
}

/**
 * @param {{ runs?: number, warmup?: number, objects?: number }} [options]
 */
export async function kubeApi({ runs = 20, warmup = 3, objects = 50, many = 1000 } = {}) {
  const { startKubeApi } = await import("../dist/lab/kube-api/index.js");
  const dir = await mkdtemp(join(tmpdir(), "recover-bench-kube-api-"));
  const api = await startKubeApi();
  try {
    await api.control.load(
      Array.from({ length: objects }, (_, i) => ({
        apiVersion: "longhorn.io/v1beta2",
        kind: "Node",
        metadata: { name: `k3s${i + 1}`, namespace: "longhorn-system" },
        spec: { allowScheduling: true },
        status: {
          conditions: [
            { type: "Ready", status: "True" },
            { type: "Schedulable", status: "True" },
          ],
        },
      })),
    );
    // For reference: a list of `many` Replicas, as `kubectl get lhr` on a busy cluster.
    await api.control.load(
      Array.from({ length: many }, (_, i) => ({
        apiVersion: "longhorn.io/v1beta2",
        kind: "Replica",
        metadata: { name: `pvc-r-${String(i).padStart(5, "0")}`, namespace: "longhorn-system" },
        spec: { nodeID: "k3s1", volumeName: "pvc-1" },
        status: { currentState: "running" },
      })),
    );
    const kubeconfig = join(dir, "kubeconfig");
    await api.writeKubeconfig(kubeconfig);
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, "cache") };
    const get = async () => {
      const { elapsed, stdout } = await timeKubectl(["get", "lhn", "-n", "longhorn-system"], env);
      if (stdout.trimEnd().split("\n").length !== objects + 1) throw new Error(`kubectl get printed an unexpected table:\n${stdout}`);
      return elapsed;
    };
    const list = async () => {
      const { elapsed, stdout } = await timeKubectl(["get", "lhr", "-n", "longhorn-system", "--no-headers"], env);
      if (stdout.trimEnd().split("\n").length !== many) throw new Error(`kubectl get lhr printed ${stdout.length} bytes, not ${many} rows`);
      return elapsed;
    };
    const client = async () => (await timeKubectl(["version", "--client"], env)).elapsed;
    // Warm-up fills the discovery cache and the page cache.
    for (let i = 0; i < warmup; i++) {
      await get();
      await client();
      await list();
    }
    const g = [];
    const c = [];
    const l = [];
    // Rotate the order each run so no command always follows another.
    const order = [
      [get, g],
      [client, c],
      [list, l],
    ];
    for (let i = 0; i < runs; i++) {
      for (let k = 0; k < order.length; k++) {
        const [measure, samples] = order[(i + k) % order.length];
        samples.push(await measure());
      }
    }
    const getMs = median(g);
    const clientMs = median(c);
    const listMs = median(l);
    return {
      runs,
      warmup,
      objects,
      many,
      getMs,
      clientMs,
      listMs,
      getMinMs: Math.min(...g),
      clientMinMs: Math.min(...c),
      listMinMs: Math.min(...l),
      ratio: getMs / clientMs,
      listRatio: listMs / clientMs,
    };
  } finally {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Prints the table, the verdict and a BENCH line; returns whether the target was met. */
export function reportKubeApi(r) {
  const pass = r.ratio <= TARGET_RATIO;
  console.log(`kube-api emulator — ${r.runs} runs each, interleaved, after ${r.warmup} warm-up runs; ${r.objects} Longhorn nodes`);
  console.log(
    table([
      ["  command", "median", "min"],
      ["  kubectl version --client", fmtMs(r.clientMs), fmtMs(r.clientMinMs)],
      ["  kubectl get lhn (warm cache)", fmtMs(r.getMs), fmtMs(r.getMinMs)],
      [`  kubectl get lhr, ${r.many} objects`, fmtMs(r.listMs), fmtMs(r.listMinMs)],
    ]),
  );
  console.log(`  ratio list of ${r.many} / version ${fmtRatio(r.listRatio)}  (for reference)`);
  console.log(`  ratio get/version ${fmtRatio(r.ratio)}  (target ≤ ${TARGET_RATIO}×)  ${pass ? "PASS" : "FAIL"}`);
  console.log(
    `BENCH ${JSON.stringify({ kubeApi: { runs: r.runs, objects: r.objects, getMedianMs: ms(r.getMs), clientMedianMs: ms(r.clientMs), ratio: ratio(r.ratio), listMedianMs: ms(r.listMs), listRatio: ratio(r.listRatio), pass } })}`,
  );
  return pass;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf("--runs");
  const runs = at > 0 ? Number(process.argv[at + 1]) : 20;
  reportKubeApi(await kubeApi({ runs }));
}
