/** Whether a `Host` or `Match` line applies (readconf.c: the oHost case and match_cfg_line()). */
import { expandTokens, TokenError } from "./config-tokens.js";
import { matchHostname, matchPattern, matchPatternList } from "./match-pattern.js";

/** What Host and Match lines are tested against. */
export interface MatchSubject {
  /** The host as typed for the first pass; the resolved HostName in the final pass. */
  host: string;
  /** The host as typed, for `Match originalhost`. */
  originalHost: string;
  /** HostName obtained so far (unexpanded), for `Match host`. */
  hostName: string | undefined;
  /** User obtained so far, else the local user, for `Match user`. */
  user: string;
  localUser: string;
  finalPass: boolean;
}

/** A line ssh would reject, or a Match criterion recover cannot evaluate. */
export class MatchLineError extends Error {}

/** `Host pattern…`: whitespace-separated patterns, case-sensitive; one matching `!pattern` vetoes the line. */
export function hostLineMatches(host: string, patterns: string[]): boolean {
  let matched = false;
  for (const arg of patterns) {
    if (arg === "") throw new MatchLineError("Host has an empty pattern");
    const negated = arg.startsWith("!");
    if (matchPattern(host, negated ? arg.slice(1) : arg)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** Match criteria that need something recover deliberately does not do while resolving a host. */
const UNSUPPORTED = new Set(["exec", "localnetwork", "tagged"]);

/** The outcome of a Match line; `wantsFinalPass` when it names `final`, which asks ssh to read the config twice. */
export interface MatchOutcome {
  matches: boolean;
  wantsFinalPass: boolean;
}

/**
 * Evaluates `Match` criteria, all of which must hold: all, canonical, final, host, originalhost,
 * user, localuser, each optionally `!`negated. `exec`, `localnetwork` and `tagged` are refused
 * unless an earlier criterion already failed (ssh would not run the exec then either), or
 * `evaluate` is false (a file included from a non-matching block).
 */
export function matchLineMatches(args: string[], subject: MatchSubject, evaluate = true): MatchOutcome {
  let result = true;
  let attributes = 0;
  let wantsFinalPass = false;
  if (args.length === 0) throw new MatchLineError("Match needs one or more criteria (all, host, originalhost, user, localuser)");
  for (let i = 0; i < args.length; i++) {
    let attrib = args[i] ?? "";
    const negate = attrib.startsWith("!");
    if (negate) attrib = attrib.slice(1);
    const name = attrib.toLowerCase();
    if (name === "all") {
      if (attributes > 1 || i + 1 < args.length) throw new MatchLineError(`'${args[i]}' cannot be combined with other Match criteria`);
      if (result) result = !negate;
      return { matches: result, wantsFinalPass };
    }
    attributes++;
    if (name === "canonical" || name === "final") {
      if (name === "final") wantsFinalPass = true;
      if (subject.finalPass === negate) result = false;
      continue;
    }
    const arg = args[++i];
    if (arg === undefined || arg === "") throw new MatchLineError(`Match ${attrib} needs a pattern list`);
    let matched: boolean;
    if (name === "host") matched = matchHostname(matchHost(subject), arg) === 1;
    else if (name === "originalhost") matched = matchHostname(subject.originalHost, arg) === 1;
    else if (name === "user") matched = matchPatternList(subject.user, arg, false) === 1;
    else if (name === "localuser") matched = matchPatternList(subject.localUser, arg, false) === 1;
    else if (UNSUPPORTED.has(name)) {
      if (!result || !evaluate) continue;
      throw new MatchLineError(
        `Match ${name} is not supported by recover; use Match host/originalhost/user/localuser, or give the target a dedicated config file`,
      );
    } else throw new MatchLineError(`unsupported Match criterion "${attrib}"`);
    if (matched === negate) result = false;
  }
  return { matches: result, wantsFinalPass };
}

/** `Match host` tests the HostName obtained so far with %h expanded, else the host itself. */
function matchHost(subject: MatchSubject): string {
  if (subject.hostName === undefined) return subject.host;
  try {
    return expandTokens(subject.hostName, { h: subject.host });
  } catch (error) {
    if (error instanceof TokenError) throw new MatchLineError(`HostName: ${error.message}`);
    throw error;
  }
}
