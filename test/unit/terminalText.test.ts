import * as assert from 'node:assert/strict';
import { escapeTerminalText } from '../../src/core/terminalText';

describe('escapeTerminalText', () => {
  it('writes line breaks and tabs as visible escapes, so a value cannot start a forged line', () => {
    assert.equal(escapeTerminalText('notes\n::error file=x::forged\r\tend'), 'notes\\n::error file=x::forged\\r\\tend');
  });

  it('neutralises ANSI and OSC sequences (OSC 52 sets the clipboard)', () => {
    const escaped = escapeTerminalText('\x1b[2J\x1b]52;c;ZXZpbA==\x07\x9b31m');
    assert.equal(escaped, '\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\x9b31m');
    assert.doesNotMatch(escaped, /\p{Cc}/u);
  });

  it('shows bidirectional overrides and zero-width characters instead of letting them reorder or hide text', () => {
    assert.equal(escapeTerminalText('a\u202eb\u200bc\u2028d\ufeff'), 'a\\u{202e}b\\u{200b}c\\u{2028}d\\u{feff}');
  });

  it('leaves printable text, non-ASCII letters and emoji alone', () => {
    const text = 'src/café/ключ 🔑 \\x1b';
    assert.equal(escapeTerminalText(text), text);
  });
});
