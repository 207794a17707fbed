import { readFile, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseKubeconfigTarget } from "../../../../src/lab/kube-api/http/kubeconfig.js";
import { startKubeApi } from "../../../../src/lab/kube-api/index.js";
import { type Json, startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

const TOKEN = "s3cret-token";
let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi({ tls: true, token: TOKEN });
});
afterAll(async () => {
  await lab?.close();
});

/** GET over HTTPS, verifying the server against the emulator's CA. */
function httpsGet(path: string, token?: string): Promise<{ status: number; json: Json }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${lab.api.url}${path}`,
      { ca: lab.api.caCert, headers: token ? { Authorization: `Bearer ${token}` } : {}, agent: false },
      (res) => {
        let text = "";
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("HTTPS with a bearer token", () => {
  it("serves a certificate the generated CA verifies for 127.0.0.1", async () => {
    expect(lab.api.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await httpsGet("/api/v1/namespaces", TOKEN)).status).toBe(200);
  });

  it("answers 401 Unauthorized Status for a wrong or missing token; /version stays public", async () => {
    for (const token of ["wrong", undefined]) {
      const result = await httpsGet("/api/v1/namespaces", token);
      expect(result).toMatchObject({ status: 401, json: { kind: "Status", reason: "Unauthorized", code: 401 } });
    }
    expect((await httpsGet("/version")).status).toBe(200);
    expect((await httpsGet("/version", "wrong")).status).toBe(401);
    expect((await httpsGet("/recover-lab/v1/requests", "wrong")).status).toBe(401);
  });

  it("writes a kubeconfig holding the server, CA data and token", async () => {
    const target = parseKubeconfigTarget(await readFile(lab.kubeconfig, "utf8"));
    expect(target).toEqual({ url: lab.api.url, caCert: lab.api.caCert, token: TOKEN });
  });

  it("lets kubectl in with the token and tells it to log in without it", async () => {
    const kubectl = await lab.kubectl();
    const ok = await kubectl(["get", "namespaces", "-o", "name"]);
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toContain("namespace/kube-system");

    const text = await readFile(lab.kubeconfig, "utf8");
    await writeFile(lab.kubeconfig, text.replace(`token: ${TOKEN}`, "token: wrong"));
    try {
      const denied = await (await lab.kubectl())(["get", "namespaces"]);
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toContain("error: You must be logged in to the server");
    } finally {
      await writeFile(lab.kubeconfig, text);
    }
  });
});

describe("start options", () => {
  it("refuses a token without TLS and a non-loopback address", async () => {
    await expect(startKubeApi({ token: "t" })).rejects.toThrow(/a token needs tls/);
    await expect(startKubeApi({ host: "0.0.0.0" })).rejects.toThrow(/loopback only/);
  });

  it("listens on another loopback address and a given port", async () => {
    const probe = await startKubeApi({ host: "127.0.0.2" });
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const api = await startKubeApi({ host: "127.0.0.2", port });
    try {
      expect(api.url).toBe(`http://127.0.0.2:${port}`);
    } finally {
      await api.close();
      await api.close();
    }
  });
});

describe("close", () => {
  it("does not wait for a client that connected but never finished the TLS handshake", async () => {
    const own = await startKubeApi({ tls: true });
    const url = new URL(own.url);
    const socket = connect(Number(url.port), url.hostname);
    socket.on("error", () => {});
    try {
      await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
      // A port probe or a kubectl killed mid-handshake: without this the close waits for Node's 120 s handshake timeout.
      await own.close();
      await new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once("close", () => resolve())));
      expect(socket.destroyed).toBe(true);
    } finally {
      socket.destroy();
      await own.close();
    }
  });
});
