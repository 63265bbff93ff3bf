/** The key commands' table: each id, the key it acts on (a row, an id, or the user's pick), and its flow. */
import * as vscode from 'vscode';
import type { KeyRecord } from '../../core/keyRecord';
import { addKey, type AddKeyArguments } from './addKey';
import { editKey } from './editKey';
import { resolveKey, resolveProvider, type KeyArgument, type ProviderArgument } from './questions';
import { reenterKey } from './reenterKey';
import type { CommandTable } from './registry';
import { confirmRevoked, removeKey, rotateKey } from './rotateKey';
import type { CommandServices } from './services';
import { copyKey, setTerminalVariable, withoutTerminalVariable } from './shareKey';

/** The walkthrough of package.json's `contributes.walkthroughs`, as `<publisher>.<name>#<id>`. */
const WALKTHROUGH = 'api-key-guard.api-key-guard#gettingStarted';

export function keyCommands(services: CommandServices): CommandTable {
  const { store, providers, log } = services;
  const onKey =
    (title: string, run: (record: KeyRecord) => Promise<unknown>, filter?: (record: KeyRecord) => boolean) =>
    async (argument?: KeyArgument): Promise<unknown> => {
      const record = await resolveKey(argument, store, providers, services.prompts(), title, filter);
      return record && run(record);
    };
  // A value is replaced only in a key still in use whose provider is defined (its key format to validate against).
  const replaceable = (record: KeyRecord) => !record.replacedBy && providers.find(record.providerId) !== undefined;
  return {
    'apiKeyGuard.addKey': (argument?: ProviderArgument | AddKeyArguments) => addKey(services, argument),
    'apiKeyGuard.editKey': onKey('Edit Key Details', (record) => editKey(services, record)),
    'apiKeyGuard.copyKey': onKey('Copy Key', (record) => copyKey(services, record)),
    'apiKeyGuard.reenterKey': onKey('Re-enter Key', (record) => reenterKey(services, record), replaceable),
    'apiKeyGuard.rotateKey': onKey('Rotate Key', (record) => rotateKey(services, record), replaceable),
    'apiKeyGuard.removeKey': onKey('Remove Key', (record) => removeKey(services, record)),
    'apiKeyGuard.confirmRevoked': onKey(
      'Confirm Old Key Revoked',
      (record) => confirmRevoked(services, record),
      (record) => !!record.replacedBy,
    ),
    'apiKeyGuard.setTerminalVariable': onKey('Set as Terminal Variable', (record) => setTerminalVariable(services, record)),
    'apiKeyGuard.clearTerminalVariable': onKey(
      'Stop Setting Terminal Variable',
      (record) => store.update(record.id, withoutTerminalVariable),
      (record) => !!record.terminalVariable,
    ),
    'apiKeyGuard.openProviderDocs': async (argument?: ProviderArgument | KeyArgument) => {
      const providerId = argument && typeof argument === 'object' && 'record' in argument ? argument.record.providerId : (argument as ProviderArgument);
      const provider = await resolveProvider(providerId, providers, services.prompts(), 'Open Provider Docs');
      return provider && vscode.env.openExternal(vscode.Uri.parse(provider.docsUrl));
    },
    'apiKeyGuard.showLog': () => log.show(),
    'apiKeyGuard.openWalkthrough': async () => {
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
    },
  };
}
