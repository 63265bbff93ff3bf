import * as assert from 'node:assert/strict';
import { PatchReader } from '../../../src/core/git/patch';
import { MAX_FILE_BYTES } from '../../../src/core/scanner/files';

/** What a sink hears, one string per event, so two readings compare whole. */
function read(chunks: readonly Buffer[]): string[] {
  const events: string[] = [];
  const reader = new PatchReader({
    commit: (header) => events.push(`commit ${header.sha}`),
    file: (file, binary) => events.push(`file ${file.path}${binary ? ' binary' : ''}`),
    hunk: (newStart) => events.push(`hunk ${newStart}`),
    line: (buffer, start, end, added) =>
      events.push(`${added ? '+' : ' '}${end - start > 80 ? `<${end - start} bytes>` : buffer.toString('utf8', start, end)}`),
    endFile: () => events.push('end'),
  });
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return events;
}

function split(text: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < text.length; at += size) chunks.push(text.subarray(at, at + size));
  return chunks;
}

const PATCH = Buffer.from(
  [
    '\x01c0ffee\x00\x00Ada <ada@example.com>\x002024-05-01T12:00:00+00:00',
    'diff --git a/sp ace.ts b/sp ace.ts',
    'new file mode 100644',
    'index 0000000..1111111',
    '--- /dev/null',
    '+++ b/sp ace.ts',
    '@@ -0,0 +1,2 @@',
    '+const a = 1;',
    '+--- not a header',
    'diff --git a/x.ts b/x.ts',
    'index 2222222..3333333 100644',
    '--- a/x.ts',
    '+++ b/x.ts',
    '@@ -1,2 +1,2 @@',
    ' keep',
    '-old',
    '+new ü',
    '',
  ].join('\n'),
);

describe('git patch reader', () => {
  it('reads the same events however git splits its output into chunks', () => {
    const whole = read([PATCH]);
    assert.deepEqual(whole, [
      'commit c0ffee',
      'file sp ace.ts',
      'hunk 1',
      '+const a = 1;\n',
      '+--- not a header\n',
      'end',
      'file x.ts',
      'hunk 1',
      ' keep\n',
      '+new ü\n',
      'end',
    ]);
    for (let size = 1; size < 40; size++) assert.deepEqual(read(split(PATCH, size)), whole, `chunks of ${size} bytes`);
  });

  it('reads a line that spans many chunks whole, and keeps no more of a line than a scan could read', () => {
    const header = Buffer.from('diff --git a/min.js b/min.js\nindex 1..2 100644\n--- a/min.js\n+++ b/min.js\n@@ -0,0 +1,2 @@\n+');
    const long = Buffer.concat([header, Buffer.alloc(3 * 1024 * 1024, 0x61), Buffer.from('\n+after\n')]);
    assert.deepEqual(read(split(long, 65536)), ['file min.js', 'hunk 1', `+<${3 * 1024 * 1024 + 1} bytes>`, '+after\n', 'end']);
    const huge = Buffer.concat([header, Buffer.alloc(MAX_FILE_BYTES + 4096, 0x61), Buffer.from('\n+after\n')]);
    // Cut past MAX_FILE_BYTES: its section is still too large to scan, and the hunk count holds.
    assert.deepEqual(read(split(huge, 65536)), ['file min.js', 'hunk 1', `+<${MAX_FILE_BYTES + 1023} bytes>`, '+after\n', 'end']);
  });
});
