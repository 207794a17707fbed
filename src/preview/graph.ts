import type { Plan } from "../plan/types.js";
import { forDisplay } from "./display-copy.js";

/** Mermaid flowchart: a subgraph per stage, edges from needs, stages chained in order. */
export function renderMermaid(shown: Plan): string {
  const plan = forDisplay(shown);
  const ids = nodeIds(plan);
  const out = ["flowchart TD"];
  for (const stage of plan.stages) {
    out.push(`  subgraph ${safe(`stage_${stage.id}`)}["${label(stage.title)}"]`);
    for (const step of stage.steps) {
      const text = label(`${step.id}${step.destructive ? " ⚠" : ""}${step.skip ? " (skipped)" : ""}`);
      out.push(`    ${ids.get(step.id)}${step.destructive ? `{{"${text}"}}` : `["${text}"]`}`);
    }
    for (const step of stage.steps) for (const need of step.needs) out.push(`    ${ids.get(need)} --> ${ids.get(step.id)}`);
    out.push("  end");
  }
  for (let i = 1; i < plan.stages.length; i++) {
    out.push(`  ${safe(`stage_${plan.stages[i - 1]?.id}`)} --> ${safe(`stage_${plan.stages[i]?.id}`)}`);
  }
  const destructive = plan.stages.flatMap((s) => s.steps.filter((st) => st.destructive)).map((st) => ids.get(st.id));
  if (destructive.length) out.push("  classDef destructive fill:#fdd,stroke:#c00", `  class ${destructive.join(",")} destructive`);
  return `${out.join("\n")}\n`;
}

/** Graphviz DOT: a cluster per stage, edges from needs, stage order as dashed edges. */
export function renderDot(shown: Plan): string {
  const plan = forDisplay(shown);
  const ids = nodeIds(plan);
  const out = [`digraph ${JSON.stringify(plan.runbook.name)} {`, "  rankdir=TB;", '  node [shape=box, fontname="sans-serif"];'];
  for (const stage of plan.stages) {
    out.push(`  subgraph ${safe(`cluster_${stage.id}`)} {`, `    label=${JSON.stringify(stage.title)};`);
    for (const step of stage.steps) {
      const attrs = [`label=${JSON.stringify(step.id)}`];
      if (step.destructive) attrs.push('color="red"', 'style="bold"');
      if (step.skip) attrs.push('style="dashed"');
      out.push(`    ${ids.get(step.id)} [${attrs.join(", ")}];`);
    }
    out.push("  }");
    for (const step of stage.steps) for (const need of step.needs) out.push(`  ${ids.get(need)} -> ${ids.get(step.id)};`);
  }
  for (let i = 1; i < plan.stages.length; i++) {
    const prev = plan.stages[i - 1]?.steps.at(-1);
    const next = plan.stages[i]?.steps[0];
    if (prev && next) out.push(`  ${ids.get(prev.id)} -> ${ids.get(next.id)} [style=dashed];`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}

function nodeIds(plan: Plan): Map<string, string> {
  const ids = new Map<string, string>();
  let n = 0;
  for (const stage of plan.stages) for (const step of stage.steps) ids.set(step.id, `s${n++}_${safe(step.id)}`);
  return ids;
}

function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, "_");
}

function label(text: string): string {
  return text.replace(/"/g, "#quot;");
}
