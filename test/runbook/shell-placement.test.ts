import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Resolver } from "../../src/plan/resolve.js";
import { templatePlacementProblems } from "../../src/runbook/shell/placement.js";

const reasons = (script: string) => templatePlacementProblems(script).map((p) => ({ at: p.offset, message: p.message }));

describe("templatePlacementProblems", () => {
  it.each([
    ['echo "${{ x }}"', 6, 'inside "…"'],
    ["echo '${{ x }}'", 6, "inside '…'"],
    ["cat <<EOF\n${{ x }}\nEOF", 10, "in a here-document"],
    ["cat <<'EOF'\nA ${{ x }}\nEOF", 14, "in a here-document"],
    ["cat <<-EOF\n\t${{ x }}\nEOF", 12, "in a here-document"],
    ["true # ${{ x }}", 7, "in a comment"],
    ['sh -c "echo ${{ x }}"', 12, "passed to `sh -c`"],
    ["sudo bash -ec ${{ x }}", 14, "passed to `bash -c`"],
    ["eval ${{ x }}", 5, "passed to `eval`"],
    ["trap ${{ x }} EXIT", 5, "passed to `trap`"],
    ["alias ll=${{ x }}", 9, "passed to `alias`"],
    ["export ${{ x }}", 7, "where `export` takes a variable name"],
    ["read ${{ x }}", 5, "where `read` takes a variable name"],
    ["echo ${V-${{ x }}}", 9, "inside a parameter expansion"],
    ["echo $${{ x }}", 6, "inside a parameter expansion"],
    ["echo $(( ${{ x }} + 1 ))", 9, "inside $(( ))"],
    ["echo `echo ${{ x }}`", 11, "inside backticks"],
    ["echo \\${{ x }}", 6, "right after a backslash"],
    ["${{ x }}=1 true", 0, "as a variable name"],
    ["for ${{ x }} in a; do :; done", 4, "as a loop variable name"],
    ["${{ x }}() { :; }", 0, "as a function name"],
    ["${{ x }} --version", 0, "at the start of a command name"],
    ["mkfs${{ x }} -q", 4, "at the start of a command name"],
    ["a=1 ${{ x }}", 4, "at the start of a command name"],
    ["cat <<${{ x }}\nhi\n", 4, "not valid POSIX sh: unclosed here-document '${{ … }}'"],
    ['echo "a ${{ x }}', 5, "not valid POSIX sh: reached EOF without closing quote"],
  ])("refuses %j at offset %i (%s)", (script, at, words) => {
    const found = reasons(script);
    expect(found, JSON.stringify(found)).toHaveLength(1);
    expect(found[0]?.at).toBe(at);
    expect(found[0]?.message).toContain(words);
  });

  it.each([
    "mkdir -p -- ${{ d }}",
    "echo ${{ a }}${{ b }} pre${{ c }}post ${{ d }}/x",
    'grep -v -e "[[:space:]]"${{ m }}"[[:space:]]" /etc/fstab',
    'ls /sys/class/block/"$(basename -- "$(readlink -f -- ${{ d }})")"/holders',
    'x=${{ v }}; echo "$x"',
    "export X=${{ v }}",
    "mkfs.${{ fs }} -q -- ${{ d }}",
    "echo > ${{ f }} 2>>${{ g }} <${{ h }}",
    "case ${{ x }} in ${{ y }}|b) echo ${{ z }};; esac",
    'for i in ${{ a }} ${{ b }}; do echo "$i"; done',
    "if test -b ${{ d }}; then wipefs -a -- ${{ d }}; else echo no; fi",
    "{ grep x -- ${{ f }} || true; } > /tmp/o",
    "f() { echo ${{ a }}; }; f",
    'while read -r l; do echo "$l" ${{ a }}; done < ${{ f }}',
    "echo ok # no template here\necho ${{ a }}",
  ])("accepts %j", (script) => {
    expect(reasons(script)).toEqual([]);
  });

  it("reports every misplaced template of a script, each at its own place", () => {
    const script = 'echo ${{ a }} "${{ b }}"\ncat <<EOF\n${{ c }}\nEOF\n';
    expect(reasons(script).map((r) => r.at)).toEqual([15, 35]);
  });

  it("refuses a script nested too deeply to parse instead of crashing", () => {
    const deep = `echo \${{ x }} ${"$(".repeat(20_000)}${")".repeat(20_000)}`;
    expect(reasons(deep)[0]?.message).toContain("nests too deeply");
  });

  it("refuses a script with templates that sh cannot read, with the parser's message", () => {
    expect(reasons("if true; then\n  echo ${{ x }}\n")[0]?.message).toContain('not valid POSIX sh: if statement must end with "fi"');
  });

  it("leaves a script without templates alone (nothing to protect; the parser is not loaded for it)", () => {
    expect(reasons("if true; then\n  echo x\n")).toEqual([]);
  });
});

// The promise behind the rule, run for real: every placement the rule accepts keeps any value one
// word, never code, under dash (the sh of Debian) and bash.
const SHELLS = ["/bin/sh", "bash"].filter((sh) => spawnSync(sh, ["-c", "true"]).status === 0);
const work = mkdtempSync(join(tmpdir(), "recover-placement-"));
const CANARY = join(work, "pwned");
const HOSTILE = [
  `; touch ${CANARY}`,
  `$(touch ${CANARY})`,
  `\`touch ${CANARY}\``,
  `'; touch ${CANARY}; '`,
  `"; touch ${CANARY}; "`,
  `x\ntouch ${CANARY}`,
  `EOF\ntouch ${CANARY}\nEOF`,
  `a' "$(touch ${CANARY})" 'b`,
  `PATH=/nonexistent`,
  `-rf`,
  "*",
  "$HOME",
  "",
  "\\",
  "it's",
];
// Each prints the value it received, once, between markers; `${{ v }}` is the value.
const ACCEPTED = [
  "printf '<%s>' ${{ v }}",
  "printf '<%s>' pre${{ v }}post",
  'printf \'<%s>\' "["${{ v }}"]"',
  "x=${{ v }}; printf '<%s>' \"$x\"",
  "printf '<%s>' \"$(printf '%s' ${{ v }})\"",
  "case ${{ v }} in *) printf '<%s>' ${{ v }};; esac",
  "for i in ${{ v }}; do printf '<%s>' \"$i\"; done",
  "printf '%s' ${{ v }} > out; printf '<%s>' \"$(cat out)\"",
];

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("accepted placements under real shells", () => {
  it.each(ACCEPTED)("%j keeps every hostile value one word", (script) => {
    expect(templatePlacementProblems(script)).toEqual([]);
    expect(SHELLS.length).toBeGreaterThan(0);
    for (const value of HOSTILE) {
      const rendered = Resolver.of({ v: "string" }, { v: value }, new Set()).text(script, true);
      for (const shell of SHELLS) {
        const run = spawnSync(shell, ["-c", rendered], { cwd: work, encoding: "utf8" });
        const shown = `${shell} -c ${JSON.stringify(rendered)}`;
        expect(existsSync(CANARY), shown).toBe(false);
        const expected = script.includes('"["') ? `<[${value}]>` : script.includes("pre$") ? `<pre${value}post>` : `<${value}>`;
        // A command substitution drops trailing newlines of what it captures.
        const trimmed = script.includes("$(") ? expected.replace(/\n+>$/, ">") : expected;
        expect(run.stdout, shown).toBe(trimmed);
      }
    }
  });
});

// And why they are refused: each is a real attack on a shell that runs what recover renders.
const ATTACKS: [string, string][] = [
  ['printf %s "${{ v }}"', `"; touch ${CANARY}; "`],
  ["cat <<'EOF'\n${{ v }}\nEOF", `x\nEOF\ntouch ${CANARY} #`],
  ["true # ${{ v }}", `x\ntouch ${CANARY} #`],
  ["sh -c ${{ v }}", `touch ${CANARY}`],
  ["eval ${{ v }}", `touch ${CANARY}`],
  ["echo \\${{ v }}", `x\ntouch ${CANARY}\n`],
  ["${{ v }} sh -c 'touch \"$0\"' canary", `PATH=${work}/nowhere:/usr/bin:/bin`],
];

describe("refused placements are real attacks", () => {
  it.each(ATTACKS)("%j runs a value as code", (script, value) => {
    expect(templatePlacementProblems(script)).not.toEqual([]);
    const rendered = Resolver.of({ v: "string" }, { v: value }, new Set()).text(script, true);
    rmSync(CANARY, { force: true });
    rmSync(join(work, "canary"), { force: true });
    spawnSync("/bin/sh", ["-c", rendered], { cwd: work, encoding: "utf8" });
    const created = existsSync(CANARY) || existsSync(join(work, "canary"));
    rmSync(CANARY, { force: true });
    rmSync(join(work, "canary"), { force: true });
    expect(created, `/bin/sh -c ${JSON.stringify(rendered)}`).toBe(true);
  });
});
