import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launcherScript } from '../../../src/extension/git/launcher';
import { run } from './repo';

describe("the extension's hook launcher", () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'akg-launcher-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  /** An installed version whose bundled CLI prints the folder it is in. */
  const install = (name: string) => {
    fs.mkdirSync(path.join(folder, name, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(folder, name, 'dist', 'cli.js'), `process.stdout.write(${JSON.stringify(name)} + ' ' + process.argv.slice(2).join(' '));\n`);
  };
  const launch = (extensionFolder: string) => {
    const launcher = path.join(folder, 'launcher');
    fs.writeFileSync(launcher, launcherScript(path.join(folder, extensionFolder), process.execPath), { mode: 0o755 });
    return run(launcher, ['pre-commit'], { cwd: folder });
  };

  it("runs the CLI of the extension's own folder while it is there", () => {
    install('acme.api-key-guard-0.9.0');
    install('acme.api-key-guard-0.10.0');
    assert.equal(launch('acme.api-key-guard-0.9.0').stdout, 'acme.api-key-guard-0.9.0 pre-commit');
  });

  it('runs the newest version installed once that folder is gone, comparing versions as numbers', () => {
    for (const name of ['acme.api-key-guard-0.9.0', 'acme.api-key-guard-0.10.0-linux-x64', 'acme.api-key-guard-0.2.11', 'acme.api-key-guard-extra-9.0.0'])
      install(name);
    const started = launch('acme.api-key-guard-0.1.0');
    assert.equal(started.status, 0, started.stderr);
    assert.equal(started.stdout, 'acme.api-key-guard-0.10.0-linux-x64 pre-commit');
  });
});
