import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ApiKeyGuardApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'api-key-guard.api-key-guard';

/** The test hooks, which the extension hands out only when VS Code runs its own tests (ExtensionMode.Test). */
export async function activateExtension(): Promise<ApiKeyGuardApi> {
  const extension = vscode.extensions.getExtension<ApiKeyGuardApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  const api = await extension.activate();
  assert.ok(api, 'the extension returns its test hooks in ExtensionMode.Test');
  return api;
}

/** Removes every stored key, so each test starts from an empty store. */
export async function removeAllKeys(api: ApiKeyGuardApi): Promise<void> {
  for (const record of api.store.list()) {
    await api.store.remove(record.id);
  }
}

/** Resolves when `condition` holds, polling; fails after `timeoutMs`. */
export async function eventually<T>(condition: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
