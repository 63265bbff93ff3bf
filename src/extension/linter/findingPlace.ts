/**
 * The argument of every command run on a finding (a quick fix, a hover link): where the finding is,
 * never its key, since hover links travel to the UI as text. Any extension may run these commands
 * with anything, so a command reads its argument through `findingPlaceOf` and finds the key again there.
 */
import * as vscode from 'vscode';
import type { Finding } from '../../core/scanner/types';

export interface FindingPlace {
  readonly uri: string;
  readonly line: number;
  readonly character: number;
}

/** The place of a finding of a document: where it starts. */
export function findingPlace(uri: vscode.Uri, finding: Pick<Finding, 'line' | 'column'>): FindingPlace {
  return { uri: uri.toString(), line: finding.line, character: finding.column };
}

/** The place an argument names; undefined for anything but a document URI and a line and character that are indexes. */
export function findingPlaceOf(argument: unknown): FindingPlace | undefined {
  if (typeof argument !== 'object' || argument === null) return undefined;
  const { uri, line, character } = argument as Partial<Record<keyof FindingPlace, unknown>>;
  return typeof uri === 'string' && isIndex(line) && isIndex(character) ? { uri, line, character } : undefined;
}

export function positionOf(place: FindingPlace): vscode.Position {
  return new vscode.Position(place.line, place.character);
}

function isIndex(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
