import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from "node:fs";
import { basename, dirname } from "node:path";
import { InputError } from "../errors.js";
import { ValidationError } from "./validation-error.js";

const READ_HINTS: Record<string, string> = {
  runbook: "check the path; recover list shows the runbooks it can find",
  inventory: "check the path given to --inventory, or where --gitops points (it reads recover/inventory.yaml there)",
};

/** Far above any real runbook or inventory (the 10,000-step bench runbook is ~2 MiB); past it, reading is refused. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

/**
 * Reads a runbook or inventory as UTF-8 text. Only a regular file that lives in the folder it is
 * named in is read: a FIFO, device or directory is refused without opening it for a blocking
 * read (never a hang), and a symlink that leads out of its folder is refused before its content
 * is seen (so no line of /etc/shadow ever reaches an error). Invalid UTF-8 and UTF-16 are errors.
 */
export function readText(file: string, what: string): string {
  const fail = (reason: string, hint = Object.hasOwn(READ_HINTS, what) ? READ_HINTS[what] : "check the path") =>
    new InputError(`cannot read ${what} ${file}: ${reason}`, hint);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it changes nothing for a regular file.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw fail(openFailure(error as NodeJS.ErrnoException));
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw fail(`not a regular file (${fileKind(stats)})`, "give the path of a runbook or inventory YAML file");
    const outside = leavesFolder(file);
    if (outside) throw fail(`it is a symlink to ${outside}, outside its folder ${dirname(file)}`, "copy the file into the folder instead");
    if (stats.size > MAX_FILE_BYTES) throw fail(`${stats.size} bytes is more than the ${MAX_FILE_BYTES} a runbook or inventory may have`);
    return decodeUtf8(file, readAll(fd, stats.size));
  } finally {
    closeSync(fd);
  }
}

function openFailure(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "is a directory";
    case "ELOOP":
      return "a symlink loop (the link leads back to itself)";
    case "EACCES":
      return "permission denied";
    default:
      return error.message;
  }
}

function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  return "not a file";
}

/** Where a symlink leads when that is outside the folder the path names, else undefined. */
function leavesFolder(file: string): string | undefined {
  const real = realpathSync(file);
  return dirname(real) === realpathSync(dirname(file)) ? undefined : real;
}

function readAll(fd: number, size: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(Math.max(64 * 1024, size - total + 1));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > MAX_FILE_BYTES) break;
  }
  return Buffer.concat(chunks);
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** UTF-8 text without its byte-order mark; UTF-16/32 and invalid bytes are errors that say where. */
export function decodeUtf8(file: string, bytes: Uint8Array): string {
  const encoding = wideEncoding(bytes);
  if (encoding) {
    throw new InputError(
      `cannot read ${file}: it is encoded as ${encoding}; recover reads UTF-8`,
      `convert it: iconv -f ${encoding} -t UTF-8 ${basename(file)}`,
    );
  }
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const { line, column } = lineColumnOfByte(bytes, at);
    throw new ValidationError([
      {
        path: "",
        message: `invalid UTF-8 (byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, "0")})`,
        hint: "save the file as UTF-8; recover never guesses another encoding, as that would change a script's bytes",
        position: { file, line, column },
      },
    ]);
  }
}

/** UTF-16 or UTF-32 told by its byte-order mark, or by the zero bytes of mostly-ASCII text without one. */
function wideEncoding(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe) return c === 0 && d === 0 ? "UTF-32LE" : "UTF-16LE";
  if (a === 0xfe && b === 0xff) return "UTF-16BE";
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return "UTF-32BE";
  if (bytes.length >= 4 && a !== 0 && b === 0 && c !== 0 && d === 0) return "UTF-16LE";
  if (bytes.length >= 4 && a === 0 && b !== 0 && c === 0 && d !== 0) return "UTF-16BE";
  return undefined;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    const bytesOk = Array.from({ length: length - 1 }, (_, k) => bytes[i + 1 + k]).every((x) => x !== undefined && (x & 0xc0) === 0x80);
    if (!bytesOk || !decodesStrictly(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return i;
}

function decodesStrictly(sequence: Uint8Array): boolean {
  try {
    STRICT_UTF8.decode(sequence);
    return true;
  } catch {
    return false;
  }
}

function lineColumnOfByte(bytes: Uint8Array, at: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < at; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  // Columns count characters, as everywhere else; the bytes before `at` on this line are valid UTF-8.
  return { line, column: new TextDecoder().decode(bytes.subarray(start, at)).length + 1 };
}
