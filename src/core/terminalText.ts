/**
 * Text from files, servers or settings, made safe to print in a terminal or a CI log. Control characters
 * (C0, DEL, C1) and invisible format characters (bidirectional overrides, zero-width characters) are
 * written as visible escapes, so a printed name cannot end a line and forge the next one (a GitHub
 * Actions `::error` annotation), move the cursor, set the clipboard (OSC 52) or reorder what is shown.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function escapeTerminalText(text: string): string {
  return text.replace(UNPRINTABLE, (char) => NAMED[char] ?? escapeCodePoint(char.codePointAt(0) ?? 0));
}

function escapeCodePoint(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}
