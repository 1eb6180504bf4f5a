import { X509Certificate } from "node:crypto";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import type { TLSSocket } from "node:tls";
import t, { type Test } from "tap";
import { startDelayProxy } from "../../../src/netsim/delay-proxy.js";
import { makeSelfSignedCert } from "../../../src/netsim/tls.js";

const cert = await makeSelfSignedCert();

/** An HTTPS server (TLS 1.3 only) on port 0 that answers every request with "ok". */
async function httpsServer(t: Test): Promise<number> {
  const server = https.createServer({ ...cert, minVersion: "TLSv1.3" }, (_req, res) => {
    res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

/** GETs `/` with a fresh connection, trusting only our certificate; returns body and protocol. */
function get(host: string, port: number): Promise<{ body: string; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host, port, path: "/", ca: cert.cert, agent: false, minVersion: "TLSv1.3" },
      (res) => {
        const protocol = (res.socket as TLSSocket).getProtocol();
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ body, protocol }));
      },
    );
    req.on("error", reject);
  });
}

t.test("the certificate names localhost and both loopback addresses", async (t) => {
  const x509 = new X509Certificate(cert.cert);
  t.match(x509.subject, /CN=localhost/);
  t.equal(x509.checkHost("localhost"), "localhost");
  t.equal(x509.checkIP("127.0.0.1"), "127.0.0.1");
  t.equal(x509.checkIP("::1"), "::1");
  t.ok(x509.verify(x509.publicKey), "self-signed");
  t.ok(new Date(x509.validTo).getTime() > Date.now());
  t.match(cert.key, /-----BEGIN PRIVATE KEY-----/);
});

t.test("a client trusting the certificate completes a TLS 1.3 handshake", async (t) => {
  const port = await httpsServer(t);
  for (const host of ["localhost", "127.0.0.1"]) {
    const { body, protocol } = await get(host, port);
    t.equal(body, "ok", `GET via ${host}`);
    t.equal(protocol, "TLSv1.3");
  }
});

t.test("a client that does not trust it is refused", async (t) => {
  const port = await httpsServer(t);
  const other = await makeSelfSignedCert({ commonName: "other" });
  await t.rejects(
    new Promise((resolve, reject) => {
      https
        .get({ host: "127.0.0.1", port, ca: other.cert, agent: false }, resolve)
        .on("error", reject);
    }),
  );
});

t.test("custom names", async (t) => {
  const custom = await makeSelfSignedCert({
    commonName: "bench.test",
    altNames: ["bench.test", "10.0.0.1"],
  });
  const x509 = new X509Certificate(custom.cert);
  t.match(x509.subject, /CN=bench\.test/);
  t.equal(x509.checkHost("bench.test"), "bench.test");
  t.equal(x509.checkIP("10.0.0.1"), "10.0.0.1");
  t.equal(x509.checkHost("localhost"), undefined);
});

t.test(
  "through a 40 ms delay proxy, a fresh HTTPS request costs TCP + TLS + HTTP round trips",
  async (t) => {
    const rttMs = 40;
    const port = await httpsServer(t);
    const proxy = await startDelayProxy({ target: { host: "127.0.0.1", port }, rttMs });
    t.teardown(() => proxy.close());
    const start = performance.now();
    const { body, protocol } = await get("127.0.0.1", proxy.port);
    const elapsed = performance.now() - start;
    t.equal(body, "ok");
    t.equal(protocol, "TLSv1.3");
    t.comment(`fresh HTTPS GET through the proxy: ${elapsed.toFixed(1)} ms`);
    t.ok(elapsed >= 3 * rttMs, `>= ${3 * rttMs} ms (1 RTT TCP, 1 RTT TLS 1.3, 1 RTT request)`);
  },
);
