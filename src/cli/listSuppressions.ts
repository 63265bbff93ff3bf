/**
 * `scan --list-suppressions`: every suppression comment in the tree and every `.apikeyguardignore`
 * entry, with the rules it covers, its reason, file and line, so a team can review what is hidden
 * and why. Walks what a scan walks; only files that hold the directive are decoded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileReader, walkFiles } from '../core/scanner/files';
import { IGNORE_FILE_NAME, suppressionDirectives } from '../core/scanner/suppression';
import { escapeTerminalText } from '../core/terminalText';
import { readIgnoreFile, warn, type Format, type ScanValues } from './scanCommand';

export interface ListedSuppression {
  readonly file: string;
  readonly line: number;
  /** `comment` (its own line), `next-line-comment` (the line below it), or an ignore file's `fingerprint` or `path` entry. */
  readonly kind: 'comment' | 'next-line-comment' | 'fingerprint' | 'path';
  /** The rules a comment covers; empty: every rule. */
  readonly rules?: readonly string[];
  /** The fingerprint or path of an ignore entry. */
  readonly entry?: string;
  readonly reason: string | null;
}

const DIRECTIVE = Buffer.from('api-key-guard-ignore');

export function listSuppressions(values: ScanValues, roots: readonly string[], format: Format): number {
  if (values.staged || values.history) {
    warn('--list-suppressions lists what is in the work tree; it takes no --staged or --history.');
    return 2;
  }
  const cwd = process.cwd();
  const ignoreList = readIgnoreFile(path.join(cwd, IGNORE_FILE_NAME));
  const listed: ListedSuppression[] = [];
  const reader = new FileReader();
  const options = { gitignore: !values['no-gitignore'], excludes: [...ignoreList.paths, ...values.exclude], base: cwd };
  for (const root of roots.length > 0 ? roots : ['.']) {
    const absolute = path.resolve(cwd, root);
    if (!fs.existsSync(absolute)) {
      warn(`no such file or directory: ${root}`);
      return 2;
    }
    for (const file of walkFiles(absolute, options)) {
      let content: Buffer | undefined;
      try {
        content = reader.read(file);
      } catch {
        continue;
      }
      if (content === undefined || content.indexOf(DIRECTIVE) === -1) continue;
      const relative = path.relative(cwd, file).split(path.sep).join('/');
      content
        .toString('utf8')
        .split('\n')
        .forEach((text, index) => {
          for (const directive of suppressionDirectives(text)) {
            listed.push({
              file: relative,
              line: index + 1,
              kind: directive.nextLine ? 'next-line-comment' : 'comment',
              rules: directive.ruleIds,
              reason: directive.reason ?? null,
            });
          }
        });
    }
  }
  for (const entry of ignoreList.entries)
    listed.push({ file: IGNORE_FILE_NAME, line: entry.line, kind: entry.kind, entry: entry.value, reason: entry.reason ?? null });
  process.stdout.write(format === 'json' ? `${JSON.stringify(listed, null, 2)}\n` : listed.map(describe).join(''));
  return 0;
}

function describe(item: ListedSuppression): string {
  const what =
    item.entry !== undefined
      ? `${item.kind} ${item.entry}`
      : `${item.kind === 'comment' ? 'api-key-guard-ignore' : 'api-key-guard-ignore-next-line'} ${item.rules?.length ? item.rules.join(',') : '(every rule)'}`;
  return escapeTerminalText(`${item.file}:${item.line} ${what} -- ${item.reason ?? '(no reason given)'}`) + '\n';
}
