/**
 * Where in a launch.json or tasks.json the cursor is, as far as the keys a configuration names go: at a
 * variable (a property name) or at a key name (its value) inside `"apiKeyGuard": { … }` of a launch
 * configuration, or `"keys": { … }` of a task of type `apiKeyGuard`. What completion offers there.
 */
import { findNodeAtLocation, getLocation, parseTree } from 'jsonc-parser';
import { KEYS_PROPERTY } from './programKeys';

export interface KeyRequestLocation {
  /** `variable`: the property name is being written; `name`: the key name, for `variable`. */
  readonly at: 'variable' | 'name';
  readonly variable: string;
  /** The offsets of the string's content when the cursor is inside quotes, to replace it; undefined: a whole JSON string is inserted. */
  readonly inside?: { readonly start: number; readonly end: number };
}

export function keyRequestAt(text: string, offset: number, file: 'launch' | 'tasks', taskType: string): KeyRequestLocation | undefined {
  const location = getLocation(text, offset);
  const [section, index, property, variable] = location.path;
  const inConfiguration =
    location.path.length === 4 &&
    typeof index === 'number' &&
    typeof variable === 'string' &&
    (file === 'launch' ? section === 'configurations' && property === KEYS_PROPERTY : section === 'tasks' && property === 'keys');
  if (!inConfiguration) return undefined;
  if (file === 'tasks') {
    const root = parseTree(text);
    if (!root || findNodeAtLocation(root, ['tasks', index, 'type'])?.value !== taskType) return undefined;
  }
  const node = location.previousNode;
  const inside = node && (node.type === 'string' || node.type === 'property') && offset > node.offset && offset < node.offset + node.length;
  return {
    at: location.isAtPropertyKey ? 'variable' : 'name',
    variable,
    ...(inside ? { inside: { start: node.offset + 1, end: node.offset + node.length - 1 } } : {}),
  };
}
