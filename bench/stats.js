// Small helpers shared by the benchmarks.

export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds for display and for the BENCH line (ms to 0.01, ratios to 0.001). */
export const ms = (v) => Math.round(v * 100) / 100;
export const ratio = (v) => Math.round(v * 1000) / 1000;

export function fmtMs(v) {
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ms`;
}

export function fmtRatio(v) {
  return `${v.toFixed(2)}×`;
}

/** Renders rows (arrays of cells) as a left-aligned table; numeric-looking cells are right-aligned. */
export function table(rows) {
  const widths = [];
  for (const row of rows) for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, String(cell).length);
  const numeric = (s) => /^[-\d.,]+( ms|×|%| MB)?$/.test(s);
  return rows
    .map((row) =>
      row
        .map((cell, i) => {
          const s = String(cell);
          return numeric(s) ? s.padStart(widths[i]) : s.padEnd(widths[i]);
        })
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
