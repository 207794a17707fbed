// Lab up/down cycle: `recover lab up --dir D` then `recover lab down --dir D` (2 nodes × 3 disks),
// whole process after whole process, against a floor measured in the same run and interleaved
// with it: the same machine work done bare by one shell script (6 sparse files attached, GPT,
// ext4 and detached again; 2 mount namespaces; 2 sshds started until they greet and stopped; a
// bare git remote with one pushed commit). The target is the cycle under 20 s here; the
// ratio says how much the lab adds over the work it cannot avoid. Needs root.
//
//   node bench/lab-cycle.js        prints the table and a BENCH line
//   BENCH_LAB_ROUNDS=N             rounds (default 3)
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fmtMs, fmtRatio, median, ms, ratio, table } from "./stats.js";

const BIN = fileURLToPath(new URL("../bin/recover.js", import.meta.url));
export const TARGETS = { cycleMs: 20_000 };

/** The floor: what any lab of this shape must do, in plain sh. */
const FLOOR = `set -e
d=$1
for i in 1 2 3 4 5 6; do
  truncate -s 256M "$d/disk$i.img"
  l=$(losetup --find --show --partscan "$d/disk$i.img")
  parted --script --align optimal "$l" mklabel gpt mkpart primary ext4 0% 100% 2>/dev/null
  while [ ! -b "\${l}p1" ]; do sleep 0.01; done
  mkfs.ext4 -q -F "\${l}p1"
  losetup -d "$l"
done
for n in 1 2; do
  ssh-keygen -q -t ed25519 -N "" -f "$d/host$n"
  port=$((40000 + $$ % 1000 + n))
  unshare --mount --propagation private /usr/sbin/sshd -D -e -o ListenAddress=127.0.0.1:$port -o HostKey="$d/host$n" -o PidFile=none 2>/dev/null &
  pid=$!
  until (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do sleep 0.01; done
  kill $pid; wait $pid 2>/dev/null || true
done
git init -q --bare "$d/remote.git"; git init -q "$d/clone"; echo x > "$d/clone/f"
git -C "$d/clone" add f; git -C "$d/clone" -c user.name=b -c user.email=b@b commit -qm x; git -C "$d/clone" push -q "$d/remote.git" HEAD:main
`;

function timed(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export function labCycleBench({ rounds = 3 } = {}) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "recover-bench-lab-"));
  const floorScript = path.join(tmp, "floor.sh");
  writeFileSync(floorScript, FLOOR);
  const samples = { up: [], down: [], cycle: [], floor: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      const dir = path.join(tmp, `lab${r}`);
      const up = timed(() => execFileSync(process.execPath, [BIN, "lab", "up", "--dir", dir], { stdio: "ignore" }));
      const down = timed(() => execFileSync(process.execPath, [BIN, "lab", "down", "--dir", dir], { stdio: "ignore" }));
      samples.up.push(up);
      samples.down.push(down);
      samples.cycle.push(up + down);
      const work = path.join(tmp, `floor${r}`);
      execFileSync("mkdir", [work]);
      samples.floor.push(timed(() => execFileSync("bash", [floorScript, work], { stdio: "ignore" })));
      rmSync(work, { recursive: true, force: true });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return {
    rounds,
    upMs: median(samples.up),
    downMs: median(samples.down),
    cycleMs: median(samples.cycle),
    floorMs: median(samples.floor),
    ratio: median(samples.cycle) / median(samples.floor),
    samples,
  };
}

export function reportLabCycle(result) {
  const ok = result.cycleMs < TARGETS.cycleMs;
  console.log(`Lab up/down cycle — 2 nodes × 3 disks, ${result.rounds} rounds, each followed by the bare floor`);
  console.log(
    table([
      ["  lab up", fmtMs(result.upMs)],
      ["  lab down", fmtMs(result.downMs)],
      ["  cycle", fmtMs(result.cycleMs)],
      ["  floor (same work in sh)", fmtMs(result.floorMs)],
    ]),
  );
  console.log(
    `  cycle ${fmtMs(result.cycleMs)} (target < ${TARGETS.cycleMs / 1000} s) ${ok ? "PASS" : "FAIL"}; cycle / floor ${fmtRatio(result.ratio)}`,
  );
  const line = {
    upMs: ms(result.upMs),
    downMs: ms(result.downMs),
    cycleMs: ms(result.cycleMs),
    floorMs: ms(result.floorMs),
    ratio: ratio(result.ratio),
    pass: ok,
  };
  console.log(`BENCH ${JSON.stringify({ labCycle: line })}`);
  return ok;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rounds = Number(process.env.BENCH_LAB_ROUNDS ?? 3);
  reportLabCycle(labCycleBench({ rounds }));
}
