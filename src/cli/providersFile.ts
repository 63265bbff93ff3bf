import * as fs from 'node:fs';
import { describeDefinitionError, parseProviderDefinitions } from '../core/providers/definitions';
import type { ProviderDefinition } from '../core/providers/types';
import { escapeTerminalText } from '../core/terminalText';

/**
 * Custom providers from a JSON file (`--providers-file`), shared by `check` and `scan`. A file that cannot
 * be read, or is not a list, throws; `isFatal` says which broken definitions also stop the command. The
 * others are skipped with a warning on stderr naming the provider, the field and the problem.
 * Errors never quote the file's content, nor the path of a file that does not exist: the wrong file (a key
 * file) or a key given as the path must not end up on the screen or in a CI log.
 */
export function readProvidersFile(
  file: string,
  command: string,
  isFatal: (definition: { readonly id?: string }) => boolean = () => false,
): ProviderDefinition[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT' ? 'the file given with --providers-file does not exist' : `cannot read providers file ${file} (${code ?? 'unknown error'})`,
      { cause: error },
    );
  }
  const json = parseJson(text.replace(/^\uFEFF/, ''), file);
  const { providers, errors } = parseProviderDefinitions(json);
  for (const error of errors) {
    if (error.index < 0 || isFatal(error)) {
      throw new Error(`${file}: ${describeDefinitionError(error)}`);
    }
    process.stderr.write(`api-key-guard ${command}: ${escapeTerminalText(`${file}: skipped ${describeDefinitionError(error)}`)}\n`);
  }
  return providers;
}

/** JSON.parse, with an error that says where the text stops being JSON instead of quoting it as V8 does. */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const offset = findJsonError(text);
    const where = offset === undefined ? '' : ` at ${describeOffset(text, offset)}`;
    throw new Error(`providers file ${file} is not valid JSON${where} (its content is not shown: it may be a key file)`, { cause: error });
  }
}

function describeOffset(text: string, offset: number): string {
  if (offset >= text.length) {
    return 'the end (it stops before the JSON is complete)';
  }
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

// eslint-disable-next-line no-control-regex -- JSON strings may not hold these characters raw.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const SPACE = /[ \t\n\r]*/y;

/**
 * The offset of the first character at which `text` stops being JSON, or undefined if it is JSON.
 * One pass with an explicit stack, so a deeply nested file cannot overflow the call stack.
 */
export function findJsonError(text: string): number | undefined {
  let at = 0;
  const match = (pattern: RegExp): boolean => {
    pattern.lastIndex = at;
    if (!pattern.test(text)) {
      return false;
    }
    at = pattern.lastIndex;
    return true;
  };
  const open: string[] = [];
  let expecting: 'value' | 'first value' | 'key' | 'first key' | 'colon' | 'end of value' = 'value';
  for (;;) {
    match(SPACE);
    const char = text[at];
    const closing = open.at(-1) === '{' ? '}' : ']';
    if ((expecting === 'first value' && char === ']') || (expecting === 'first key' && char === '}')) {
      open.pop();
      at++;
      expecting = 'end of value';
    } else if (expecting === 'value' || expecting === 'first value') {
      if (char === '{' || char === '[') {
        open.push(char);
        at++;
        expecting = char === '{' ? 'first key' : 'first value';
      } else if (match(STRING) || match(NUMBER) || match(LITERAL)) {
        expecting = 'end of value';
      } else {
        return at;
      }
    } else if (expecting === 'key' || expecting === 'first key') {
      if (!match(STRING)) {
        return at;
      }
      expecting = 'colon';
    } else if (expecting === 'colon') {
      if (char !== ':') {
        return at;
      }
      at++;
      expecting = 'value';
    } else if (open.length === 0) {
      return at < text.length ? at : undefined;
    } else if (char === ',') {
      at++;
      expecting = open.at(-1) === '{' ? 'key' : 'value';
    } else if (char === closing) {
      open.pop();
      at++;
    } else {
      return at;
    }
  }
}
