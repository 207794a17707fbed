// Generates a large, valid runbook as YAML text, in memory, for the planning benchmark.
//
// The mix follows runbooks/longhorn-node.yaml: sh steps interpolating params, kubectl argv
// steps, guards / skipIf / verify with CEL `expect`, `needs` fan-in edges inside a stage,
// a few destructive steps with confirm, one foreach over a list param, and captures read by
// later steps (in `when` and in templates, which the planner defers to run time).

/** Quotes a string for YAML as a single-quoted scalar. */
const q = (s) => `'${s.replaceAll("'", "''")}'`;

/**
 * @param {number} total number of declared steps (the foreach step counts once)
 * @param {{ stages?: number }} [options]
 * @returns {{ text: string, steps: number, stages: number, captures: number, foreachItems: number }}
 */
export function generateRunbook(total, { stages = 10 } = {}) {
  if (total < stages * 20) throw new Error(`need at least ${stages * 20} steps for ${stages} stages`);
  const lines = [
    "apiVersion: recover/v1",
    "kind: Runbook",
    "metadata:",
    `  name: bench-${total}`,
    `summary: Generated ${total}-step runbook for the planning benchmark`,
    "description: |",
    "  Synthetic runbook: a realistic mix of step kinds, checks and dependencies.",
    "params:",
    "  node:",
    "    type: string",
    "    positional: true",
    "    description: Kubernetes node name",
    '    pattern: "[a-z0-9]([-a-z0-9]*[a-z0-9])?"',
    "  disks:",
    "    type: list",
    "    description: Devices to prepare",
    '    pattern: "/dev/[a-z0-9]+"',
    "    default: [/dev/sdb, /dev/sdc, /dev/sdd]",
    "  namespace:",
    "    type: string",
    "    default: longhorn-system",
    "targets:",
    "  node:",
    "    ssh:",
    '      host: "${{ params.node }}"',
    "      become: sudo",
    "  cluster:",
    "    kubectl:",
    "      context: lab",
    "stages:",
  ];
  let captures = 0;
  let foreachDone = false;
  let written = 0;
  for (let s = 0; s < stages; s++) {
    const count = Math.floor(total / stages) + (s < total % stages ? 1 : 0);
    lines.push(`  - id: stage-${s}`, `    title: Stage ${s} of the generated runbook`);
    if (s === 0) lines.push("    checkpoint: false");
    lines.push("    steps:");
    let lastCapture; // the latest capture in this stage, read by later steps
    for (let i = 0; i < count; i++) {
      const id = `s${s}-step-${i}`;
      const prev = (k) => `s${s}-step-${i - k}`;
      const step = [`      - id: ${id}`];
      const add = (...more) => step.push(...more.map((l) => `        ${l}`));
      const kind = i % 10;
      if (i > 0 && i % 20 === 0) {
        // A capture, read by the steps after it.
        const name = `c_s${s}_${i}`;
        add(`title: Record the state of ${name}`);
        add(`kubectl: [-n, "\${{ params.namespace }}", get, nodes.longhorn.io, "\${{ params.node }}", -o, json]`);
        add(`capture: { as: ${name}, format: ${i % 40 === 0 ? "json" : "text"} }`);
        lastCapture = { name, json: i % 40 === 0 };
        captures++;
      } else if (s === 3 && i === 5 && !foreachDone) {
        // The one foreach, over a list param.
        add('title: "Wipe signatures on ${{ disk }}"');
        add("foreach: { in: params.disks, as: disk }");
        add("sh: wipefs -a ${{ disk }}");
        add("destructive:");
        add("  confirm: ${{ disk }}");
        add("  impact: erases every signature on ${{ disk }} of ${{ params.node }}");
        add("guard:");
        add("  - title: nothing on the disk is mounted");
        add("    sh: lsblk -rn -o MOUNTPOINTS ${{ disk }}");
        add('    expect: result.exitCode == 0 && result.stdout.trim() == ""');
        foreachDone = true;
      } else if (i % 50 === 7) {
        // Destructive, confirmed by the node name, guarded.
        add(`title: "Delete volume attachment ${i} on \${{ params.node }}"`);
        add(
          `kubectl: [-n, "\${{ params.namespace }}", delete, volumeattachments.longhorn.io, "va-${i}-\${{ params.node }}", --wait=false]`,
        );
        add("destructive:");
        add("  confirm: ${{ params.node }}");
        add(`  impact: removes attachment va-${i} of \${{ params.node }}`);
        add("guard:");
        add("  - title: no replica is on the node");
        add(`    kubectl: [-n, "\${{ params.namespace }}", get, replicas.longhorn.io, -l, "longhornnode=\${{ params.node }}", -o, json]`);
        add("    expect: size(result.json.items) == 0");
        add("  - title: no engine runs on the node");
        add(`    kubectl: [-n, "\${{ params.namespace }}", get, engines.longhorn.io, -o, json]`);
        add("    expect: '!result.json.items.exists(e, has(e.spec.nodeID) && e.spec.nodeID == params.node)'");
      } else if (kind === 0 || kind === 3 || kind === 6) {
        // Plain sh with params interpolation, sometimes a multi-line script.
        add(`title: "Prepare item ${i} on \${{ params.node }}"`);
        if (kind === 6) {
          add("sh: |");
          add(`  mkdir -p /var/lib/bench/\${{ params.node }}/${i}`);
          add(`  echo "step ${i} of \${{ params.node }}" > /var/lib/bench/\${{ params.node }}/${i}/marker`);
          add("  sync");
        } else {
          add(`sh: systemctl restart bench-${i}@\${{ params.node }}.service`);
        }
        if (kind === 3) {
          add("skipIf:");
          add("  title: already active");
          add(`  sh: systemctl is-active bench-${i}@\${{ params.node }}.service`);
          add("  expect: result.exitCode == 0");
        }
      } else if (kind === 1 || kind === 4) {
        // kubectl argv with a verify polled until it holds.
        add(`title: "Patch node ${i}"`);
        add(
          `kubectl: [-n, "\${{ params.namespace }}", patch, nodes.longhorn.io, "\${{ params.node }}", --type=merge, ${q(`-p={"metadata":{"labels":{"bench/${i}":"true"}}}`)}]`,
        );
        add("verify:");
        add("  title: the label is set");
        add(`  kubectl: [-n, "\${{ params.namespace }}", get, nodes.longhorn.io, "\${{ params.node }}", -o, json]`);
        add(`  expect: has(result.json.metadata.labels) && result.json.metadata.labels["bench/${i}"] == "true"`);
        add("  message: the label did not stick");
        add("  interval: 5s");
        add("  timeout: 2m");
        add("undo:");
        add(`  kubectl: [-n, "\${{ params.namespace }}", label, nodes.longhorn.io, "\${{ params.node }}", "bench/${i}-"]`);
      } else if (kind === 2 && lastCapture) {
        // Reads a capture: decided at run time.
        const ref = lastCapture.json ? `has(captures.${lastCapture.name}.spec)` : `captures.${lastCapture.name} != ""`;
        add(`title: Act on the recorded state (${lastCapture.name})`);
        add(`when: ${q(ref)}`);
        add(`sh: echo "\${{ captures.${lastCapture.name} }}" | logger -t bench-\${{ params.node }}`);
      } else if (kind === 5 && i >= 3) {
        // Fan-in: needs two earlier steps of the stage.
        add(`title: Join ${prev(1)} and ${prev(3)}`);
        add(`needs: [${prev(1)}, ${prev(3)}]`);
        add(`kubectl: [get, node, "\${{ params.node }}", -o, name]`);
      } else if (kind === 8) {
        // Guarded sh step with several checks.
        add(`title: "Rotate logs ${i}"`);
        add(`sh: logrotate -f /etc/logrotate.d/bench-${i}`);
        add("guard:");
        add("  - title: the config exists");
        add(`    sh: test -f /etc/logrotate.d/bench-${i}`);
        add("    expect: result.exitCode == 0");
        add("verify:");
        add(`  sh: test -s /var/log/bench-${i}.log.1`);
        add("  expect: result.exitCode == 0");
        add("  timeout: 10s");
      } else {
        // kubectl read, sometimes retried.
        add(`title: "List the pods of bench ${i} on \${{ params.node }}"`);
        add(
          `kubectl: [-n, "\${{ params.namespace }}", get, pods, -l, "bench=${i}", --field-selector, "spec.nodeName=\${{ params.node }}"]`,
        );
        if (kind === 9) add("retry: { attempts: 3, delay: 2s, backoff: 2 }");
        add("timeout: 30s");
      }
      lines.push(...step);
      written++;
    }
  }
  if (!foreachDone) throw new Error("foreach step was not placed");
  return { text: `${lines.join("\n")}\n`, steps: written, stages, captures, foreachItems: 3 };
}
