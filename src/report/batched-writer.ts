/**
 * Lines written in one turn of the event loop go out in one write: stdout to a pipe is a
 * synchronous syscall per write on Linux, and each wakes the reader (a step makes several lines).
 * `flush` writes what is pending at once (the end of a run).
 */
export function batchedWriter(write: (text: string) => void): { write: (text: string) => void; flush: () => void } {
  let pending = "";
  const flush = () => {
    if (pending === "") return;
    const text = pending;
    pending = "";
    write(text);
  };
  return {
    write: (text) => {
      if (pending === "") setImmediate(flush);
      pending += text;
    },
    flush,
  };
}
