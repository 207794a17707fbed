/** How a command reads one of its arguments, when that is not as plain data. */
export type ArgumentRole = { code: string } | { names: string } | undefined;

// Builtins that run their arguments as shell code (alias: the text after `=` is code).
const RUNS_CODE = new Set(["eval", "trap", "alias"]);
// Builtins whose arguments are variable names (before any `=`): a value could name PATH or IFS.
const TAKES_NAMES = new Set(["export", "readonly", "local", "declare", "typeset", "unset", "read", "getopts"]);
// Programs whose `-c` option runs its argument as shell code, wherever they appear (sudo sh -c …).
const RUN_C_AS_CODE = new Set(["sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "busybox", "su", "runuser", "flock"]);

/**
 * The role of each argument of a simple command, from its literal words (undefined where a word
 * is not plain text). A backstop for the common ways a value reaches a shell again; a command
 * recover cannot know (ssh, watch, xargs sh) still runs what it is given.
 */
export function argumentRoles(words: readonly (string | undefined)[]): ArgumentRole[] {
  const roles: ArgumentRole[] = words.map(() => undefined);
  const name = commandName(words[0]);
  if (name && RUNS_CODE.has(name)) {
    for (let i = 1; i < words.length; i++) roles[i] = { code: `passed to \`${name}\` (it runs its arguments as code)` };
    return roles;
  }
  if (name && TAKES_NAMES.has(name)) {
    for (let i = 1; i < words.length; i++) roles[i] = { names: `where \`${name}\` takes a variable name` };
    return roles;
  }
  const shell = words.findIndex((w) => RUN_C_AS_CODE.has(commandName(w) ?? ""));
  const flag = shell < 0 ? -1 : words.findIndex((w, i) => i > shell && /^-[A-Za-z]*c[A-Za-z]*$/.test(w ?? ""));
  if (flag > 0) {
    const what = commandName(words[shell]);
    for (let i = flag + 1; i < words.length; i++) roles[i] = { code: `passed to \`${what} -c\` (it runs its argument as code)` };
  }
  return roles;
}

function commandName(word: string | undefined): string | undefined {
  return word?.split("/").at(-1);
}
