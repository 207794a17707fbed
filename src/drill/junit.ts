/** JUnit XML for CI: a testsuite per drill, a testcase per invocation, per stage and per probe. */
import type { DrillReport, Verdict } from "./report.js";

const xml = (text: string): string =>
  text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

interface Case {
  classname: string;
  name: string;
  timeMs?: number;
  verdict: Verdict;
  message?: string;
  detail?: string;
}

function testcase(c: Case): string {
  const open = `    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}" time="${seconds(c.timeMs)}"`;
  if (c.verdict === "Pass") return `${open}/>`;
  const tag = c.verdict === "Fail" ? "failure" : "skipped";
  const body = c.detail ? `>${xml(c.detail)}</${tag}>` : "/>";
  return `${open}>\n      <${tag} message="${xml(c.message ?? c.verdict)}"${body}\n    </testcase>`;
}

function cases(report: DrillReport): Case[] {
  const out: Case[] = [];
  const suite = report.drill;
  for (const inv of report.invocations) {
    out.push({
      classname: `${suite}.${inv.label}`,
      name: `exit ${inv.expected.exitCode} expected`,
      timeMs: inv.durationMs,
      verdict: inv.verdict,
      message: `exit ${inv.exitCode}${inv.reason ? `: ${inv.reason}` : ""}${inv.missingOutput.length ? `; missing output: ${inv.missingOutput.join(" | ")}` : ""}`,
    });
    for (const stage of inv.stages) {
      const verdict: Verdict = stage.state === "done" ? "Pass" : stage.state === "running" ? "Awaited" : "Fail";
      out.push({ classname: `${suite}.${inv.label}.stage`, name: stage.stage, timeMs: stage.durationMs, verdict, message: stage.state });
    }
  }
  for (const probe of report.probes)
    out.push({
      classname: `${suite}.probe.${probe.mode}`,
      name: probe.name,
      verdict: probe.verdict,
      message:
        probe.verdict === "Awaited"
          ? "awaited: never evaluated"
          : `${probe.failures.length} of ${probe.evaluations} evaluations did not hold`,
      ...(probe.failures[0] ? { detail: probe.failures[0].seen } : {}),
    });
  if (report.error) out.push({ classname: `${suite}.drill`, name: "the drill ran", verdict: "Fail", message: report.error });
  return out;
}

export function renderJUnit(reports: DrillReport[]): string {
  const suites = reports.map((r) => {
    const cs = cases(r);
    const failures = cs.filter((c) => c.verdict === "Fail").length;
    const skipped = cs.filter((c) => c.verdict === "Awaited").length;
    return [
      `  <testsuite name="${xml(`drill ${r.drill}: ${[r.runbook, ...r.args].join(" ")}`)}" tests="${cs.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(r.durationMs)}" timestamp="${xml(r.startedAt)}">`,
      `    <properties>\n      <property name="scenario" value="${xml(r.file)}"/>\n      <property name="lab" value="${xml(r.lab.dir)}"/>\n    </properties>`,
      ...cs.map(testcase),
      "  </testsuite>",
    ].join("\n");
  });
  const all = reports.flatMap(cases);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="recover drill" tests="${all.length}" failures="${all.filter((c) => c.verdict === "Fail").length}" time="${seconds(reports.reduce((s, r) => s + r.durationMs, 0))}">`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}
