/**
 * Incremental scanning for an editor: keeps the findings of a document and, on each edit, re-scans
 * only the edited lines plus a few lines of context, widened to any multi-line finding the edit
 * touches (a private key block) and, when an edit adds a block's END line, back to where its BEGIN may be.
 */
import type { SecretScanner } from './engine';
import { PRIVATE_KEY_END } from './matchers';
import type { Finding, ScanContext } from './types';

/** How far a private key block may extend past its first line. */
const BLOCK_LINES = 200;

export class DocumentScanner {
  private readonly lines: string[];
  private current: Finding[];

  constructor(
    private readonly scanner: SecretScanner,
    private readonly context: ScanContext,
    text: string,
  ) {
    this.lines = text.split('\n');
    this.current = scanner.scanText(text, context);
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
    if (newLines.some((line) => line.includes(PRIVATE_KEY_END))) from = Math.max(0, from - BLOCK_LINES);
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
    const readFrom = Math.max(0, from - around);
    const readTo = Math.min(this.lines.length, to + BLOCK_LINES);
    const fresh = this.scanner
      .scanText(this.lines.slice(readFrom, readTo).join('\n'), this.context)
      .map((finding) => ({ ...finding, line: finding.line + readFrom, endLine: finding.endLine + readFrom }))
      .filter((finding) => finding.line >= from && finding.line < to);
    this.current = kept
      .filter((finding) => finding.line < from || finding.line >= to)
      .concat(fresh)
      .sort((a, b) => a.line - b.line || a.column - b.column);
    return this.current;
  }
}
