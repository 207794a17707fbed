import net from "node:net";

/** A port free right now on `address` (the kernel picks it); the caller binds it soon after. */
export function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host: address, port: 0, exclusive: true }, () => {
      const bound = server.address();
      const port = typeof bound === "object" && bound ? bound.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A random 127.0.0.x address (x in 2..254), so parallel labs rarely even share an address. */
export function randomLoopbackAddress(): string {
  return `127.0.0.${2 + Math.floor(Math.random() * 253)}`;
}
