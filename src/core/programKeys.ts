/**
 * Keys named in a launch or task configuration: `"apiKeyGuard": { "UPPZY_API_KEY": "prod-order-bot" }`
 * maps each environment variable the program reads to the name of a stored key. Only names are ever
 * written in a configuration; the values are put into the program's environment when it starts.
 */
import { isDeepStrictEqual } from 'node:util';
import { findVariableNameProblem } from './keyRecord';

/** The property of a launch or task configuration that names its keys. */
export const KEYS_PROPERTY = 'apiKeyGuard';

/** Environment variable → key name, in the configuration's order. */
export type KeyRequests = ReadonlyMap<string, string>;

/** The keys a configuration asks for, or a sentence that says what is wrong with how it names them. */
export function parseKeyRequests(value: unknown): KeyRequests | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `"${KEYS_PROPERTY}" must be an object that maps environment variables to key names, e.g. { "UPPZY_API_KEY": "prod-order-bot" }.`;
  }
  const requests = new Map<string, string>();
  for (const [variable, name] of Object.entries(value as Record<string, unknown>)) {
    const problem = findVariableNameProblem(variable);
    if (problem) {
      return `"${variable}" is not an environment variable name. ${problem}`;
    }
    if (typeof name !== 'string' || name.trim() === '') {
      return `"${variable}" must name a key stored in API Key Guard, e.g. "prod-order-bot".`;
    }
    requests.set(variable, name.trim());
  }
  return requests;
}

/**
 * Where each debug type takes its program's environment: an object (`env`) or, for the C/C++ debuggers,
 * an array of `{ name, value }` (`environment`). A type missing here gets no keys: putting them in a field
 * its debugger ignores would start the program without them, and put them where nobody expects.
 */
interface EnvironmentField {
  readonly field: string;
  readonly shape: 'object' | 'array';
}
const ENVIRONMENT_FIELDS: Readonly<Record<string, EnvironmentField>> = Object.fromEntries<EnvironmentField>([
  ...[
    'node',
    'pwa-node',
    'node-terminal',
    'extensionHost',
    'pwa-extensionHost',
    'python',
    'debugpy',
    'go',
    'java',
    'php',
    'coreclr',
    'lldb',
    'dart',
    'rdbg',
    'bashdb',
    'mix_task',
    'firefox',
  ].map((type): [string, EnvironmentField] => [type, { field: 'env', shape: 'object' }]),
  ...['cppdbg', 'cppvsdbg'].map((type): [string, EnvironmentField] => [type, { field: 'environment', shape: 'array' }]),
]);

/** The debug types whose environment field is known, for messages. */
export const KNOWN_DEBUG_TYPES = Object.keys(ENVIRONMENT_FIELDS);

/**
 * The configuration with `values` (variable → secret) in its debug type's environment field, replacing
 * variables of the same name; undefined for a type whose field is unknown. The input is left as it was.
 */
export function withEnvironment<T extends Record<string, unknown>>(configuration: T, type: string, values: ReadonlyMap<string, string>): T | undefined {
  const target = ENVIRONMENT_FIELDS[type];
  if (!target) {
    return undefined;
  }
  const current = configuration[target.field];
  if (target.shape === 'array') {
    const kept: unknown[] = Array.isArray(current) ? current.filter((entry: { name?: unknown } | null) => !values.has(String(entry?.name))) : [];
    return { ...configuration, [target.field]: [...kept, ...[...values].map(([name, value]) => ({ name, value }))] };
  }
  const existing = typeof current === 'object' && current !== null && !Array.isArray(current) ? current : {};
  return { ...configuration, [target.field]: { ...existing, ...Object.fromEntries(values) } };
}

/** Sections VS Code folds into a configuration for the platform it runs on, so they may be gone by the time a provider sees it. */
const PLATFORM_SECTIONS = new Set(['windows', 'osx', 'linux']);

/**
 * Whether `configuration`, as a debugger's provider passes it on before variables are substituted, is
 * `entry` (one of the workspace's own launch configurations): every property the entry sets has the same
 * value, but for the type VS Code's JavaScript debugger renames (`node` to `pwa-node`). Properties the entry leaves
 * out are not compared, because each debugger fills in its defaults there first.
 */
export function isLaunchEntry(configuration: Readonly<Record<string, unknown>>, entry: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(entry).every(
    ([property, value]) =>
      PLATFORM_SECTIONS.has(property) ||
      isDeepStrictEqual(configuration[property], value) ||
      (property === 'type' && configuration.type === `pwa-${String(value)}`),
  );
}
