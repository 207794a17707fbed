import type { Command } from "commander";
import { collect } from "./options.js";

/** `recover lab …`: up, status, fault, down, the Kubernetes API emulator alone (drills: `recover drill`). */
export function labCommands(program: Command): void {
  const lab = program.command("lab").description("the built-in lab: a disposable cluster, hosts and GitOps repo to drill on");
  const dirOption = (cmd: Command) => cmd.option("-d, --dir <dir>", "the lab's directory (default: $XDG_STATE_HOME/recover/lab)");
  dirOption(
    lab.command("up").description("start a lab: nodes behind real sshd with loop-device disks, the cluster, a GitOps remote (needs root)"),
  )
    .option("--nodes <n>", "nodes k3s1…k3sN (1-9)", "2")
    .option("--disks <n>", "loop-device disks per node (1-8)", "3")
    .option("--version <x.y.z>", "Longhorn version the cluster runs", "1.9.2")
    .option("--speed <factor>", "how much faster than real the simulated controllers act (1-1000)", "1")
    .option("--fault <kind=target>", "inject a fault once the lab is up (repeatable), e.g. --fault iscsid-inactive=k3s1", collect, [])
    .action(async (opts) => (await import("./commands/lab-up.js")).labUpCommand(opts));
  dirOption(lab.command("status").description("show the lab: processes with pids, nodes, disks, mounts, Longhorn and Flux"))
    .option("--json", "print JSON")
    .action(async (opts) => (await import("./commands/lab-status.js")).labStatusCommand(opts));
  dirOption(
    lab
      .command("fault")
      .description("inject a fault into the running lab (or: fault list, fault clear [ID])")
      .argument(
        "<kind>",
        "sshd-down, sshd-frozen, iscsid-inactive NODE; disk-busy, disk-cfg-empty, disk-cfg-braces NODE/DISK; push-rejected; api-error, api-hang PATH; parent-unsuspends KUSTOMIZATION",
      )
      .argument("[target]", "the node, NODE/DISK, API path or Kustomization it hits"),
  ).action(async (kind: string, target: string | undefined, opts) =>
    (await import("./commands/lab-fault.js")).labFaultCommand(kind, target, opts),
  );
  dirOption(lab.command("down").description("stop every process of the lab, detach its loop devices and remove its directory")).action(
    async (opts) => (await import("./commands/lab-down.js")).labDownCommand(opts),
  );

  // Client subcommands also read --kubeconfig/--context/--token from kube-api itself (optsWithGlobals).
  const target = (cmd: Command) =>
    cmd
      .option("-s, --server <url>", "the emulator's URL (else --kubeconfig FILE)")
      .option("--ca <file>", "CA certificate of a --tls emulator (with --server)");
  const kubeApi = lab
    .command("kube-api")
    .description("run the Kubernetes API emulator in the foreground (Ctrl-C stops it), or steer a running one")
    .option("-l, --listen <host:port>", "loopback address and port (0: any free port)", "127.0.0.1:0")
    .option("-k, --kubeconfig <file>", "write a kubeconfig for kubectl here (clients: read the emulator's address from it)")
    .option("--context <name>", "context name in the kubeconfig (default: lab; clients: its current context)")
    .option("-f, --fixtures <path>", "YAML/JSON objects to load at start, file or folder (repeatable)", collect, [])
    .option("--crds <path>", "CRDs to serve instead of the built-in Longhorn and Flux ones (repeatable)", collect, [])
    .option("--tls", "HTTPS with a CA generated for this run (its data goes into the kubeconfig)")
    .option("--token <token>", "bearer token every request must carry (needs --tls)")
    .action(async (opts) => (await import("./commands/lab-kube-api.js")).kubeApiCommand(opts));
  const control = async () => import("./commands/lab-kube-api-control.js");
  target(kubeApi.command("fault").description("make matching requests fail, stall or drop"))
    .option("--path <path>", "exact URL path (or path?query) to match")
    .option("--path-pattern <regexp>", "regular expression over path?query")
    .option("-X, --method <method>", "only this HTTP method")
    .option("--status <code>", "answer with this HTTP status and a Status body (default 500)")
    .option("--message <text>", "message of that Status")
    .option("--times <n>", "how many matching requests (Infinity for all)", "1")
    .option("--delay-ms <ms>", "wait first (alone: then answer normally)")
    .option("--hang", "never answer")
    .option("--drop", "close the connection without an answer")
    .action(async (_opts, cmd: Command) => (await control()).faultCommand(cmd.optsWithGlobals()));
  target(kubeApi.command("faults").description("list the active faults"))
    .option("--json", "print JSON")
    .action(async (_opts, cmd: Command) => (await control()).faultsCommand(cmd.optsWithGlobals()));
  target(kubeApi.command("clear-faults").description("remove one fault by id, or all").argument("[id]")).action(
    async (id: string | undefined, _opts, cmd: Command) => (await control()).clearFaultsCommand(id, cmd.optsWithGlobals()),
  );
  target(kubeApi.command("requests").description("print the request log"))
    .option("--json", "print JSON lines")
    .option("--clear", "then empty it")
    .action(async (_opts, cmd: Command) => (await control()).requestsCommand(cmd.optsWithGlobals()));
  target(
    kubeApi.command("load").description("load YAML/JSON objects (files or folders) into a running emulator").argument("<paths...>"),
  ).action(async (paths: string[], _opts, cmd: Command) => (await control()).loadCommand(paths, cmd.optsWithGlobals()));
}
