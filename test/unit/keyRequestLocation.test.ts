import * as assert from 'node:assert/strict';
import { keyRequestAt } from '../../src/core/keyRequestLocation';

/** The location at the `|` in `text`. */
const at = (text: string, file: 'launch' | 'tasks' = 'launch') => keyRequestAt(text.replace('|', ''), text.indexOf('|'), file, 'apiKeyGuard');

describe('where launch.json and tasks.json name keys', () => {
  it('finds the key name of a variable, inside quotes or not', () => {
    const text = '{ "configurations": [ { "apiKeyGuard": { "UPPZY_API_KEY": "pr|" } } ] }';
    const start = text.indexOf('"pr') + 1;
    assert.deepEqual(at(text), { at: 'name', variable: 'UPPZY_API_KEY', inside: { start, end: start + 2 } });
    assert.deepEqual(at('{ "configurations": [ {}, { "apiKeyGuard": { "A": | } } ] }'), { at: 'name', variable: 'A' });
  });

  it('finds a variable being written, in a comment-laden launch.json too', () => {
    assert.deepEqual(at('// c\n{ "configurations": [ { /* x */ "apiKeyGuard": { "UP|" } } ] }')?.at, 'variable');
    assert.deepEqual(at('{ "configurations": [ { "apiKeyGuard": { | } } ] }'), { at: 'variable', variable: '' });
  });

  it('offers nothing elsewhere: other properties, other files, a task of another type', () => {
    assert.equal(at('{ "configurations": [ { "env": { "A": "|" } } ] }'), undefined);
    assert.equal(at('{ "configurations": [ { "apiKeyGuard": "|" } ] }'), undefined);
    assert.equal(at('{ "apiKeyGuard": { "A": "|" } }'), undefined);
    assert.equal(at('{ "tasks": [ { "type": "shell", "keys": { "A": "|" } } ] }', 'tasks'), undefined);
    assert.equal(at('{ "configurations": [ { "apiKeyGuard": { "A": "|" } } ] }', 'tasks'), undefined);
    assert.deepEqual(at('{ "tasks": [ { "type": "apiKeyGuard", "keys": { "A": "|" } } ] }', 'tasks')?.at, 'name');
  });
});
