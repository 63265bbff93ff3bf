import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeSelfSignedCertificate } from '../fixtures/providerServers';

const MODULE = path.resolve(__dirname, '..', '..', 'src', 'core', 'certificates.js');

/** Runs the module in a fresh Node with `env`: Node reads its certificate environment once per process. */
function certificatesIn(env: NodeJS.ProcessEnv): { default: string[]; system: string[] } {
  const script = `const c = require(${JSON.stringify(MODULE)}); process.stdout.write(JSON.stringify({ default: c.defaultCertificates(), system: c.systemCertificates() }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as {
    default: string[];
    system: string[];
  };
}

describe('certificates', () => {
  let folder: string;
  let certificate: { key: string; cert: string } | undefined;

  before(function () {
    certificate = makeSelfSignedCertificate();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'akg-ca-'));
    fs.writeFileSync(path.join(folder, 'ca.pem'), certificate.cert);
  });
  after(() => folder && fs.rmSync(folder, { recursive: true, force: true }));

  const body = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '');
  const holds = (list: string[]) => list.some((pem) => body(pem) === body(certificate!.cert));

  it("reads the system store where SSL_CERT_FILE points, as OpenSSL and VS Code's requests do on Linux", () => {
    const { system, default: defaults } = certificatesIn({ SSL_CERT_FILE: path.join(folder, 'ca.pem'), NODE_EXTRA_CA_CERTS: '' });
    assert.ok(holds(system), 'the system store has the certificate');
    assert.ok(!holds(defaults), "Node's default roots do not");
    assert.ok(defaults.length > 100, "Node's bundled roots are there");
  });

  it("counts NODE_EXTRA_CA_CERTS among Node's default roots, as requests without a ca list do", () => {
    const { default: defaults } = certificatesIn({ NODE_EXTRA_CA_CERTS: path.join(folder, 'ca.pem') });
    assert.ok(holds(defaults));
  });
});
