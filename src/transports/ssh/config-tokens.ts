/** The `~`, `%x` and `${VAR}` expansions ssh applies to paths from ssh_config (misc.c). */

/** Thrown for an expansion ssh would refuse; the caller names the keyword and file. */
export class TokenError extends Error {}

/**
 * tilde_expand_filename(): a leading `~` or `~/` is the home directory. `~user` is only
 * understood for the local user, since resolving other accounts would need the passwd database.
 */
export function expandTilde(path: string, home: string, localUser: string): string {
  if (!path.startsWith("~")) return path;
  const slash = path.indexOf("/");
  const user = slash === -1 ? path.slice(1) : path.slice(1, slash);
  if (user !== "" && user !== localUser) throw new TokenError(`cannot expand ~${user}: only ~ and ~${localUser} are supported`);
  const tail = slash === -1 ? "" : path.slice(slash + 1);
  return tail === "" ? home : `${home.replace(/\/+$/, "")}/${tail}`;
}

/**
 * percent_expand() and, with `env`, percent_dollar_expand(): one pass, so an expanded value is
 * never expanded again. `%%` and the `%x` tokens given; `${NAME}` is an environment variable.
 * An unknown token, a trailing `%` or an unset variable is an error, as it is for ssh.
 */
export function expandTokens(text: string, tokens: Record<string, string>, env?: NodeJS.ProcessEnv): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (env !== undefined && ch === "$" && text.charAt(i + 1) === "{") {
      const end = text.indexOf("}", i + 2);
      if (end === -1) throw new TokenError(`unterminated \${ in "${text}"`);
      const name = text.slice(i + 2, end);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new TokenError(`invalid environment variable name "\${${name}}" in "${text}"`);
      const value = env[name];
      if (value === undefined) throw new TokenError(`environment variable \${${name}} has no value (in "${text}")`);
      out += value;
      i = end;
      continue;
    }
    if (ch !== "%") {
      out += ch;
      continue;
    }
    const key = text.charAt(++i);
    if (key === "") throw new TokenError(`"${text}" ends with a lone %`);
    if (key === "%") out += "%";
    else if (Object.hasOwn(tokens, key)) out += tokens[key];
    else throw new TokenError(`unknown token %${key} in "${text}"`);
  }
  return out;
}
