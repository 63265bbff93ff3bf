import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { offerKeys, receiveKeys, type KeyPayload } from '../../src/core/keyHandout';

const SECRET = 'upz_live_Hd7Kq2Vw9Lm4Tz8Hc3Nd6Bf0Js5Ya1';
const payload: KeyPayload = { env: { UPPZY_API_KEY: SECRET }, shell: '/bin/sh', args: [] };
const LAUNCHER = path.resolve(__dirname, '../../src/extension/terminalLauncher.js');
const run = promisify(execFile);

describe('key handout channel', () => {
  it('hands the keys to the holder of the nonce once; the same nonce again finds the channel gone', async () => {
    const handout = await offerKeys(payload, 10_000);
    assert.deepEqual(await receiveKeys(handout.address, handout.nonce), payload);
    assert.equal(await handout.done, 'handed out');
    const replay = await receiveKeys(handout.address, handout.nonce);
    assert.ok('error' in replay && !JSON.stringify(replay).includes(SECRET), `a replayed nonce gets nothing (${JSON.stringify(replay)})`);
    if (process.platform !== 'win32') {
      assert.equal(fs.existsSync(path.dirname(handout.address)), false, 'the socket and its directory are gone');
    }
  });

  it('refuses a wrong nonce without spending the channel', async () => {
    const handout = await offerKeys(payload, 10_000);
    const guess = await receiveKeys(
      handout.address,
      handout.nonce.replace(/^./, (first) => (first === '0' ? '1' : '0')),
    );
    assert.ok('error' in guess && !JSON.stringify(guess).includes(SECRET), 'a wrong nonce gets nothing');
    assert.deepEqual(await receiveKeys(handout.address, `${handout.nonce}${'x'.repeat(200)}`).then((answer) => 'error' in answer), true, 'nor an overlong one');
    assert.deepEqual(await receiveKeys(handout.address, handout.nonce), payload, 'the holder still gets the keys');
  });

  it('expires: after its time nobody gets the keys', async () => {
    const handout = await offerKeys(payload, 50);
    assert.equal(await handout.done, 'expired');
    assert.ok('error' in (await receiveKeys(handout.address, handout.nonce)));
  });

  it('lives in a directory only the user can enter', async function () {
    if (process.platform === 'win32') this.skip();
    const handout = await offerKeys(payload, 10_000);
    assert.equal(fs.statSync(path.dirname(handout.address)).mode & 0o777, 0o700);
    assert.equal(fs.statSync(handout.address).mode & 0o077, 0, 'nor the socket');
    assert.match(handout.nonce, /^[0-9a-f]{64}$/, '256 random bits');
    handout.close();
    assert.equal(await handout.done, 'closed');
  });
});

describe('terminal launcher', function () {
  this.timeout(20_000);
  /** A "shell" that prints a hash of $UPPZY_API_KEY and whether it inherited ELECTRON_RUN_AS_NODE. */
  const reporter: KeyPayload = {
    env: { UPPZY_API_KEY: SECRET },
    shell: process.execPath,
    args: [
      '-e',
      `process.stdout.write(require('node:crypto').createHash('sha256').update(process.env.UPPZY_API_KEY ?? 'unset').digest('hex') + ' ' + (process.env.ELECTRON_RUN_AS_NODE ?? 'no-electron-variable'))`,
    ],
  };

  it('starts the shell with the keys it fetched, and without the variable that made it Node', async () => {
    const handout = await offerKeys(reporter, 10_000);
    const { stdout } = await run(process.execPath, [LAUNCHER, handout.address, handout.nonce], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    assert.equal(stdout, `${createHash('sha256').update(SECRET).digest('hex')} no-electron-variable`);
  });

  it('starts no shell with a spent nonce, and says why', async () => {
    const handout = await offerKeys(reporter, 10_000);
    await receiveKeys(handout.address, handout.nonce);
    const failed = await run(process.execPath, [LAUNCHER, handout.address, handout.nonce]).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    assert.equal(failed?.code, 1);
    assert.equal(failed.stdout, '', 'no shell ran');
    assert.match(failed.stderr, /this terminal gets no keys/);
  });
});
