// Certificates for the local control plane, made with the openssl CLI.
//
// One CA signs the API server's serving certificate and the client certificates of
// the admin and the controller manager; a separate key pair signs service account
// tokens. All keys are ECDSA P-256.

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  controllerManagerCert: string;
  controllerManagerKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

export interface PkiOptions {
  /** Extra SANs for the serving certificate, besides 127.0.0.1 and localhost. */
  serverIps?: string[];
  serverDnsNames?: string[];
  days?: number;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run("openssl", args, { cwd });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") {
      throw new Error("the openssl CLI is needed to create the local cluster's certificates (apt-get install openssl)");
    }
    throw new Error(`openssl ${args.join(" ")} failed: ${e.stderr || e.message}`);
  }
}

async function ecKey(dir: string, name: string): Promise<string> {
  const file = join(dir, `${name}.key`);
  await openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file], dir);
  return file;
}

const serial = () =>
  `0x${randomBytes(16)
    .toString("hex")
    .replace(/^[89a-f]/, "1")}`;

/** A certificate signed by the CA, with the given subject and X.509v3 extensions. */
async function signed(
  dir: string,
  ca: { cert: string; key: string },
  name: string,
  subject: string,
  extensions: string[],
  days: number,
): Promise<{ cert: string; key: string }> {
  const key = await ecKey(dir, name);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  const cert = join(dir, `${name}.crt`);
  await writeFile(ext, `[ext]\n${extensions.join("\n")}\n`);
  await openssl(["req", "-new", "-key", key, "-subj", subject, "-out", csr], dir);
  await openssl(
    [
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      ca.cert,
      "-CAkey",
      ca.key,
      "-set_serial",
      serial(),
      "-days",
      String(days),
      "-sha256",
      "-extfile",
      ext,
      "-extensions",
      "ext",
      "-out",
      cert,
    ],
    dir,
  );
  return { cert, key };
}

/** Creates the CA, serving and client certificates and the service account key pair in `dir`. */
export async function createPki(dir: string, options: PkiOptions = {}): Promise<Pki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const days = options.days ?? 365;

  const caKey = await ecKey(dir, "ca");
  const caCert = join(dir, "ca.crt");
  const caCnf = join(dir, "ca.cnf");
  await writeFile(
    caCnf,
    [
      "[req]",
      "distinguished_name = dn",
      "x509_extensions = v3_ca",
      "prompt = no",
      "[dn]",
      "CN = zhengyun-local-ca",
      "[v3_ca]",
      "basicConstraints = critical, CA:TRUE",
      "keyUsage = critical, keyCertSign, cRLSign, digitalSignature",
      "subjectKeyIdentifier = hash",
      "",
    ].join("\n"),
  );
  await openssl(["req", "-x509", "-new", "-key", caKey, "-config", caCnf, "-days", String(days * 2), "-sha256", "-out", caCert], dir);
  const ca = { cert: caCert, key: caKey };

  const ips = ["127.0.0.1", "10.96.0.1", ...(options.serverIps ?? [])];
  const dns = [
    "localhost",
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
    ...(options.serverDnsNames ?? []),
  ];
  const san = [...ips.map((ip) => `IP:${ip}`), ...dns.map((d) => `DNS:${d}`)].join(",");
  const leaf = (usage: string) => [
    "basicConstraints = critical, CA:FALSE",
    "keyUsage = critical, digitalSignature, keyEncipherment",
    `extendedKeyUsage = ${usage}`,
    "authorityKeyIdentifier = keyid",
  ];

  const server = await signed(dir, ca, "apiserver", "/CN=kube-apiserver", [...leaf("serverAuth"), `subjectAltName = ${san}`], days);
  const admin = await signed(dir, ca, "admin", "/O=system:masters/CN=zhengyun-admin", leaf("clientAuth"), days);
  const kcm = await signed(dir, ca, "controller-manager", "/CN=system:kube-controller-manager", leaf("clientAuth"), days);

  const serviceAccountKey = await ecKey(dir, "sa");
  const serviceAccountPub = join(dir, "sa.pub");
  await openssl(["pkey", "-in", serviceAccountKey, "-pubout", "-out", serviceAccountPub], dir);

  return {
    dir,
    caCert,
    caKey,
    serverCert: server.cert,
    serverKey: server.key,
    adminCert: admin.cert,
    adminKey: admin.key,
    controllerManagerCert: kcm.cert,
    controllerManagerKey: kcm.key,
    serviceAccountKey,
    serviceAccountPub,
  };
}

/** Reads a PEM file as base64, the form kubeconfig `*-data` fields take. */
export async function pemBase64(file: string): Promise<string> {
  return (await readFile(file)).toString("base64");
}

/** A client certificate signed by the cluster's CA (e.g. a node's or a component's identity). */
export async function signClientCert(pki: Pki, name: string, subject: string, days = 365): Promise<{ cert: string; key: string }> {
  return signed(
    pki.dir,
    { cert: pki.caCert, key: pki.caKey },
    name,
    subject,
    [
      "basicConstraints = critical, CA:FALSE",
      "keyUsage = critical, digitalSignature, keyEncipherment",
      "extendedKeyUsage = clientAuth",
      "authorityKeyIdentifier = keyid",
    ],
    days,
  );
}
