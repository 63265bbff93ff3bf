import * as fs from 'node:fs';
import { describeDefinitionError, parseProviderDefinitions } from '../core/providers/definitions';
import type { ProviderDefinition } from '../core/providers/types';
import { escapeTerminalText } from '../core/terminalText';

/**
 * Custom providers from a JSON file (`--providers-file`), shared by `check` and `scan`. A file that cannot
 * be read, or is not a list, throws; `isFatal` says which broken definitions also stop the command. The
 * others are skipped with a warning on stderr naming the provider, the field and the problem.
 */
export function readProvidersFile(
  file: string,
  command: string,
  isFatal: (definition: { readonly id?: string }) => boolean = () => false,
): ProviderDefinition[] {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read providers file ${file}: ${(error as Error).message}`, { cause: error });
  }
  const { providers, errors } = parseProviderDefinitions(json);
  for (const error of errors) {
    if (error.index < 0 || isFatal(error)) {
      throw new Error(`${file}: ${describeDefinitionError(error)}`);
    }
    process.stderr.write(`api-key-guard ${command}: ${escapeTerminalText(`${file}: skipped ${describeDefinitionError(error)}`)}\n`);
  }
  return providers;
}
