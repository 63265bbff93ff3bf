/**
 * Incremental scanning for an editor: keeps the findings of a document and, on each edit, re-scans
 * only the edited lines plus a few lines of context, widened to any multi-line finding the edit
 * touches (a private key block) and, when an edit adds a block's END line, back to where its BEGIN
 * may be. A whole document can also be scanned in slices (`sliced`), so that an editor can yield
 * between them. Every re-scan reads the edited lines, the rules' context lines around them, and at
 * most a private key block's length more: its work is bounded by the edit, not the document.
 */
import type { SecretScanner } from './engine';
import { MAX_BLOCK, PRIVATE_KEY_END } from './matchers';
import type { Finding, ScanContext } from './types';

/** How many lines a private key block may extend past its first line, at most (and MAX_BLOCK characters). */
const BLOCK_LINES = 200;

export class DocumentScanner {
  private readonly lines: string[];
  private current: Finding[];

  constructor(
    private readonly scanner: SecretScanner,
    private readonly context: ScanContext,
    text: string,
    scanNow = true,
  ) {
    this.lines = text.split('\n');
    this.current = scanNow ? scanner.scanText(text, context) : [];
  }

  /**
   * The document scanned a slice of about `sliceChars` characters (whole lines: a line is never
   * split) at a time, one per step of the generator, with the findings a whole scan has.
   */
  static *sliced(scanner: SecretScanner, context: ScanContext, text: string, sliceChars: number): Generator<void, DocumentScanner> {
    const document = new DocumentScanner(scanner, context, text, false);
    const lines = document.lines;
    for (let from = 0; from < lines.length;) {
      let to = from;
      for (let chars = 0; to < lines.length && (to === from || chars < sliceChars); to++) chars += (lines[to] as string).length + 1;
      const last = document.current[document.current.length - 1];
      // A finding of an earlier slice that runs into this one (a private key block) hides what it covers, as in a whole scan.
      const fresh = document.scanLines(from, to).filter((finding) => last === undefined || isAfter(finding, last));
      document.current.push(...fresh);
      from = to;
      if (from < lines.length) yield;
    }
    return document;
  }

  get findings(): readonly Finding[] {
    return this.current;
  }

  /**
   * Replaces lines [startLine, endLine) of the document (0-based, end exclusive) by `newLines`,
   * as a text edit from `startLine` to `endLine` does, and returns all findings of the document.
   */
  replaceLines(startLine: number, endLine: number, newLines: readonly string[]): readonly Finding[] {
    const shift = newLines.length - (endLine - startLine);
    // Lines around an edit whose findings may depend on it, as far as any rule or suppression comment looks.
    const around = this.scanner.contextLines;
    this.lines.splice(startLine, endLine - startLine, ...newLines);
    let from = Math.max(0, startLine - around);
    const to = Math.min(this.lines.length, startLine + newLines.length + around);
    if (newLines.some((line) => line.includes(PRIVATE_KEY_END))) from = this.blockReach(from, -1);
    const kept: Finding[] = [];
    for (const finding of this.current) {
      const line = finding.line >= endLine ? finding.line + shift : finding.line;
      const lastLine = finding.endLine >= endLine ? finding.endLine + shift : finding.endLine;
      if (line < from && lastLine >= startLine - 1) {
        from = line;
        continue;
      }
      if ((finding.line >= startLine && finding.line < endLine) || (line >= from && line < to)) continue;
      kept.push(shift === 0 || finding.line < endLine ? finding : { ...finding, line, endLine: lastLine });
    }
    this.current = kept
      .filter((finding) => finding.line < from || finding.line >= to)
      .concat(this.scanLines(from, to))
      .sort((a, b) => a.line - b.line || a.column - b.column);
    return this.current;
  }

  /** The findings that start on lines [from, to), read with the lines before and after that they may depend on. */
  private scanLines(from: number, to: number): Finding[] {
    const readFrom = Math.max(0, from - this.scanner.contextLines);
    const readTo = this.blockReach(Math.min(this.lines.length, to + this.scanner.contextLines), 1);
    return this.scanner
      .scanText(this.lines.slice(readFrom, readTo).join('\n'), this.context)
      .map((finding) => ({ ...finding, line: finding.line + readFrom, endLine: finding.endLine + readFrom }))
      .filter((finding) => finding.line >= from && finding.line < to);
  }

  /** From line `from`, as far in `direction` as a private key block may reach: BLOCK_LINES lines, or MAX_BLOCK characters, whichever is less. */
  private blockReach(from: number, direction: 1 | -1): number {
    let line = from;
    for (let count = 0, chars = 0; count < BLOCK_LINES && chars < MAX_BLOCK; count++) {
      const next = direction === 1 ? line : line - 1;
      if (next < 0 || next >= this.lines.length) break;
      chars += (this.lines[next] as string).length + 1;
      line += direction;
    }
    return line;
  }
}

function isAfter(finding: Finding, last: Finding): boolean {
  return finding.line > last.endLine || (finding.line === last.endLine && finding.column >= last.endColumn);
}
