/**
 * The certificate authorities a check trusts besides Node's own. undici takes no part of Node's global
 * agents, so a caller that wants the operating system's store (as VS Code's own requests use it) hands
 * the engine the whole list: Node's default roots plus these.
 */
import * as fs from 'node:fs';
import * as tls from 'node:tls';

/** Where Linux distributions keep the system bundle, as VS Code's proxy agent reads it on a Node without `getCACertificates`. */
const LINUX_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Alpine, Arch
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // Fedora, RHEL
  '/etc/ssl/ca-bundle.pem', // openSUSE
  '/etc/ssl/certs/ca-bundle.crt', // older Fedora
];

type CertificateStore = 'default' | 'system';
/** `tls.getCACertificates`, in Node 22.15+ and 23.5+. */
const getCACertificates = (tls as { getCACertificates?: (store: CertificateStore) => string[] }).getCACertificates;

/** Node's default roots: its bundled Mozilla list and `NODE_EXTRA_CA_CERTS`, what a request trusts when given no `ca`. */
export function defaultCertificates(): string[] {
  if (getCACertificates) {
    return getCACertificates('default');
  }
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  return [...tls.rootCertificates, ...(extra ? readBundle(extra) : [])];
}

/**
 * The operating system's trusted authorities: Node's reading of the system store where it has one
 * (on Linux that honours `SSL_CERT_FILE` and `SSL_CERT_DIR`, as OpenSSL does), else the standard Linux bundle.
 * Empty where neither exists (Windows and macOS before Node 22.15).
 */
export function systemCertificates(): string[] {
  if (getCACertificates) {
    return getCACertificates('system');
  }
  const file = process.env.SSL_CERT_FILE;
  for (const bundle of file ? [file] : LINUX_BUNDLES) {
    const certificates = readBundle(bundle);
    if (certificates.length > 0) {
      return certificates;
    }
  }
  return [];
}

/** The PEM certificates in a bundle file; none when it cannot be read. */
function readBundle(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}
