import { isIP } from "node:net";
import { generate } from "selfsigned";

export interface SelfSignedCertOptions {
  /** Subject common name (default "localhost"). */
  commonName?: string;
  /** DNS names and IP addresses the certificate is valid for (default localhost, 127.0.0.1, ::1). */
  altNames?: string[];
  /** Validity in days from now (default 7). */
  validityDays?: number;
}

/** PEM strings, ready for `https.createServer({ key, cert })` and a client's `ca: cert`. */
export interface SelfSignedCert {
  key: string;
  cert: string;
}

const DEFAULT_ALT_NAMES = ["localhost", "127.0.0.1", "::1"];

/**
 * Generates a throwaway self-signed server certificate (ECDSA P-256, SHA-256) at run time,
 * in pure JavaScript, so benchmarks can serve HTTPS and WSS without openssl or files on disk.
 */
export async function makeSelfSignedCert(
  options: SelfSignedCertOptions = {},
): Promise<SelfSignedCert> {
  const commonName = options.commonName ?? "localhost";
  const altNames = options.altNames ?? DEFAULT_ALT_NAMES;
  const validityDays = options.validityDays ?? 7;
  // Back-date a little so a client whose clock is slightly behind still accepts it.
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + validityDays * 86_400_000);
  const pems = await generate([{ name: "commonName", value: commonName }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: altNames.map((name) =>
          isIP(name) === 0 ? { type: 2 as const, value: name } : { type: 7 as const, ip: name },
        ),
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
