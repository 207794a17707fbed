/** Reads ssh_config files into RawOptions as readconf.c does: Host/Match blocks, Include, first value wins. */
import { readFile, stat } from "node:fs/promises";
import { InputError } from "../../errors.js";
import { globPaths } from "./config-glob.js";
import { KNOWN_KEYWORDS } from "./config-keywords.js";
import { type ConfigLine, ConfigSyntaxError, lexConfigLine } from "./config-lexer.js";
import { hostLineMatches, MatchLineError, matchLineMatches } from "./config-match.js";
import { applyOption, ConfigValueError, type RawOptions } from "./config-options.js";
import { expandTilde, TokenError } from "./config-tokens.js";
import { matchPatternList } from "./match-pattern.js";

/** readconf.c's READCONF_MAX_DEPTH. */
const MAX_INCLUDE_DEPTH = 16;

/** One pass over the config files for one host. */
export interface ConfigPass {
  /** Host lines are matched against this: the alias as typed, or the HostName in the final pass. */
  host: string;
  originalHost: string;
  finalPass: boolean;
  home: string;
  localUser: string;
  options: RawOptions;
  /** Every problem found, as "file:line: text"; thrown together at the end. */
  problems: string[];
  /** Files actually read, in order. */
  sources: string[];
  /** Set when a `Match final` line asks for a second pass. */
  wantsFinalPass: boolean;
}

/** How a file is read: mirrors SSHCONF_USERCONF, SSHCONF_CHECKPERM and SSHCONF_NEVERMATCH. */
export interface ReadFlags {
  /** Relative Include paths are under ~/.ssh (else /etc/ssh), and `~` is allowed. */
  userConfig: boolean;
  /** The file must not be writable by others (ssh refuses it otherwise). */
  checkPermissions: boolean;
  /** Included from a non-matching block: nothing in it applies. */
  neverMatch: boolean;
}

/** Reads `file` into `pass.options`. Returns false when it does not exist. */
export async function readConfigFile(
  pass: ConfigPass,
  file: string,
  flags: ReadFlags,
  active = { value: true },
  depth = 0,
): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw new InputError(`Cannot read ssh config ${file}: ${(error as Error).message}`, "Check the file's permissions.");
  }
  if (flags.checkPermissions) await checkPermissions(file);
  if (!pass.sources.includes(file)) pass.sources.push(file);
  for (const [index, lexed] of lexedLines(file, text).entries()) {
    const where = `${file}:${index + 1}`;
    try {
      if (lexed instanceof ConfigSyntaxError) throw lexed;
      // Only an Include reads files; every other line is applied without a turn of the event loop.
      if (lexed?.keyword === "include") await include(pass, lexed.args, flags, active, depth, file);
      else readLine(pass, lexed, flags, active);
    } catch (error) {
      if (
        error instanceof ConfigSyntaxError ||
        error instanceof ConfigValueError ||
        error instanceof MatchLineError ||
        error instanceof TokenError
      ) {
        pass.problems.push(`${where}: ${error.message}`);
      } else throw error;
    }
  }
  return true;
}

/** A line as lexed: undefined for a blank line or comment, the error for one that cannot be split. */
type LexedLine = ConfigLine | undefined | ConfigSyntaxError;

/** Each file's last text and its lines: a run over many hosts splits a config once, not once per host and pass. */
const lastLexed = new Map<string, { text: string; lines: readonly LexedLine[] }>();

/** The lines of `text` (just read from `file`) lexed, reused while the file holds the very same text. */
function lexedLines(file: string, text: string): readonly LexedLine[] {
  const kept = lastLexed.get(file);
  if (kept !== undefined && kept.text === text) return kept.lines;
  const lines = text.split("\n").map((raw): LexedLine => {
    try {
      return lexConfigLine(raw);
    } catch (error) {
      if (error instanceof ConfigSyntaxError) return error;
      throw error;
    }
  });
  lastLexed.set(file, { text, lines });
  return lines;
}

/** Applies one line other than Include (see readConfigFile). */
function readLine(pass: ConfigPass, line: ConfigLine | undefined, flags: ReadFlags, active: { value: boolean }): void {
  if (line === undefined) return;
  switch (line.keyword) {
    case "host":
      active.value = !flags.neverMatch && hostLineMatches(pass.host, line.args);
      return;
    case "match": {
      const outcome = matchLineMatches(line.args, matchSubject(pass), !flags.neverMatch);
      if (outcome.wantsFinalPass) pass.wantsFinalPass = true;
      active.value = !flags.neverMatch && outcome.matches;
      return;
    }
  }
  if (!KNOWN_KEYWORDS.has(line.keyword)) {
    const ignored = pass.options.ignoreUnknown !== undefined && matchPatternList(line.keyword, pass.options.ignoreUnknown, true) === 1;
    if (!ignored)
      throw new ConfigValueError(`Bad configuration option: ${line.keyword} (ssh rejects it too; fix it or list it in IgnoreUnknown)`);
    return;
  }
  applyOption(pass.options, line, active.value);
}

function matchSubject(pass: ConfigPass) {
  return {
    host: pass.host,
    originalHost: pass.originalHost,
    hostName: pass.options.hostName,
    user: pass.options.user ?? pass.localUser,
    localUser: pass.localUser,
    finalPass: pass.finalPass,
  };
}

async function include(pass: ConfigPass, args: string[], flags: ReadFlags, active: { value: boolean }, depth: number, file: string) {
  if (args.length === 0) throw new ConfigValueError("Include needs a file name");
  if (depth + 1 > MAX_INCLUDE_DEPTH)
    throw new ConfigValueError(`too many nested Includes (max ${MAX_INCLUDE_DEPTH}); is ${file} including itself?`);
  for (const arg of args) {
    if (arg === "") throw new ConfigValueError("Include has an empty argument");
    if (arg.startsWith("~") && !flags.userConfig)
      throw new ConfigValueError(`tilde expansion is not allowed in system config Include "${arg}"`);
    const anchored = arg.startsWith("/") || arg.startsWith("~") ? arg : `${flags.userConfig ? "~/.ssh" : "/etc/ssh"}/${arg}`;
    const pattern = expandTilde(anchored, pass.home, pass.localUser);
    const outerActive = active.value;
    for (const path of await globPaths(pattern)) {
      await readConfigFile(
        pass,
        path,
        { ...flags, checkPermissions: true, neverMatch: flags.neverMatch || !outerActive },
        active,
        depth + 1,
      );
      // A Match or Host inside the included file does not leak into the including file.
      active.value = outerActive;
    }
  }
}

async function checkPermissions(file: string): Promise<void> {
  const info = await stat(file);
  const uid = process.getuid?.() ?? 0;
  if ((info.uid !== 0 && info.uid !== uid) || (info.mode & 0o022) !== 0) {
    throw new InputError(
      `Bad owner or permissions on ${file}: ssh refuses a config file that others can write`,
      `Run: chmod go-w ${file} (and make it owned by you)`,
    );
  }
}
