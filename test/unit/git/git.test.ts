import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { startGit } from '../../../src/core/git/git';

/** What git's own environment holds: an alias that runs `env`, as git runs it, with the variables git gets. */
async function gitEnvironment(largeOutput: boolean): Promise<string> {
  const { child, finished } = startGit({ cwd: os.tmpdir() }, ['-c', 'alias.environment=!env', 'environment'], { largeOutput });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stdin.end();
  await finished;
  return Buffer.concat(chunks).toString('utf8');
}

describe('git for a patch stream (real git)', () => {
  it("writes in 64 KiB pieces with coreutils' stdbuf where Linux has it, keeping the user's LD_PRELOAD, and only for a patch stream", async function () {
    const library = ['/usr/libexec/coreutils/libstdbuf.so', '/usr/lib/coreutils/libstdbuf.so'].find((file) => fs.existsSync(file));
    if (process.platform !== 'linux' || library === undefined) this.skip();
    const before = process.env.LD_PRELOAD;
    process.env.LD_PRELOAD = library;
    try {
      const large = await gitEnvironment(true);
      assert.match(large, /^_STDBUF_O=65536$/m);
      assert.ok(large.split('\n').includes(`LD_PRELOAD=${library} ${library}`), 'the user preload stays, after ours');
      assert.doesNotMatch(await gitEnvironment(false), /^_STDBUF_O=/m);
    } finally {
      if (before === undefined) delete process.env.LD_PRELOAD;
      else process.env.LD_PRELOAD = before;
    }
  });
});
