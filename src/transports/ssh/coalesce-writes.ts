import type { Duplex } from "node:stream";

/**
 * ssh2 hands each packet to its socket as separate writes (with AES-GCM: the length, the payload,
 * the tag), and a command is several packets. On a TCP_NODELAY socket every write is a segment
 * and a wake-up of sshd. Here the writes made in one tick are corked and leave as one writev at
 * the end of the tick: the same bytes in the same order, sent no later than the tick ends.
 */
export function coalesceWrites(stream: Duplex): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let corked = false;
  const flush = () => {
    corked = false;
    stream.uncork();
  };
  stream.write = ((...args: unknown[]) => {
    if (!corked && !stream.destroyed) {
      corked = true;
      stream.cork();
      process.nextTick(flush);
    }
    return write(...args);
  }) as Duplex["write"];
}
