/** ANSI styles for the preview, or plain text when off (not a TTY, or NO_COLOR). */
export function colors(on: boolean) {
  const wrap = (code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { bold: wrap("1"), red: wrap("31"), yellow: wrap("33"), cyan: wrap("36"), green: wrap("32"), dim: wrap("2") };
}

export type Colors = ReturnType<typeof colors>;
