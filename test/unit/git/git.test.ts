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

  it("keeps git's large buffers on the heap through glibc's tunables for a patch stream only, the user's own tunables last so they win", async () => {
    const before = process.env.GLIBC_TUNABLES;
    process.env.GLIBC_TUNABLES = 'glibc.malloc.arena_max=2';
    try {
      assert.match(
        await gitEnvironment(true),
        /^GLIBC_TUNABLES=glibc\.malloc\.mmap_threshold=33554432:glibc\.malloc\.trim_threshold=268435456:glibc\.malloc\.arena_max=2$/m,
      );
      assert.match(await gitEnvironment(false), /^GLIBC_TUNABLES=glibc\.malloc\.arena_max=2$/m);
    } finally {
      if (before === undefined) delete process.env.GLIBC_TUNABLES;
      else process.env.GLIBC_TUNABLES = before;
    }
  });
});
