import * as vscode from 'vscode';
import { boundedNumber, type NumberSchema } from '../core/numberSetting';

const EXTENSION_ID = 'api-key-guard.api-key-guard';
const SECTION = 'apiKeyGuard';

/** Our numeric settings, by their name under `apiKeyGuard.`. */
export type NumberSettingName = 'checkTimeoutMs' | 'checkConcurrency' | 'reminderDays';

/**
 * A numeric setting of ours within the bounds its schema in package.json declares, so that `0`, `-1`,
 * `"abc"` or a 24-day timeout in a settings file cannot break every check: out of bounds is clamped,
 * not a number is the default.
 */
export function numberSetting(name: NumberSettingName): number {
  return boundedNumber(vscode.workspace.getConfiguration(SECTION).get<unknown>(name), schemaOf(name));
}

function schemaOf(name: NumberSettingName): NumberSchema {
  const properties = (
    vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes?: { configuration?: { properties?: Record<string, NumberSchema> } } } | undefined
  )?.contributes?.configuration?.properties;
  const schema = properties?.[`${SECTION}.${name}`];
  if (!schema) {
    throw new Error(`package.json declares no setting ${SECTION}.${name}`);
  }
  return schema;
}
