/**
 * What the staged and history scans share: the findings of a text that stand on lines a change
 * adds, at their line in the file. A secret already in the file before the change is not the
 * change's; the lines around it are still scanned, so a suppression comment on the line above, or
 * the name a value is assigned to on the line before, count as they do in a tree scan.
 */
import type { SecretScanner } from '../scanner/engine';
import type { Finding } from '../scanner/types';
import type { CommitHeader } from './patch';

export interface GitFinding {
  /** Relative to the top of the work tree, forward slashes. */
  readonly path: string;
  readonly finding: Finding;
  /** The commit that added it (history scans). */
  readonly commit?: CommitHeader;
}

/** Where a scanned text's lines are in the file, and which of them the change adds (0-based lines of the text). */
export interface LineMap {
  isAdded(line: number): boolean;
  /** The 0-based line in the file. */
  fileLine(line: number): number;
}

/** Modes git stores for what is no file content: a symbolic link (its target) and a submodule (a commit id). */
export function isContentMode(mode: string | undefined): boolean {
  return mode !== '120000' && mode !== '160000';
}

/** Scans `content` (a file's bytes, binary content judged as in a tree scan) and keeps the findings on added lines. */
export function scanAddedLines(scanner: SecretScanner, path: string, content: Uint8Array, lines: LineMap): Finding[] {
  const kept: Finding[] = [];
  for (const finding of scanner.scanFile(content, { fileName: path })) {
    let added = false;
    for (let line = finding.line; line <= finding.endLine && !added; line++) added = lines.isAdded(line);
    if (!added) continue;
    const line = lines.fileLine(finding.line);
    const endLine = lines.fileLine(finding.endLine);
    kept.push({ ...finding, line, endLine: endLine < line ? line : endLine });
  }
  return kept;
}
