/** Manage Workspace Key Access: lists which workspaces may use which keys, and takes access back. */
import * as vscode from 'vscode';
import { unknownProviderName } from '../keyTree';
import { granteeLabel, type KeyAccess } from '../keyAccess';
import type { CommandTable } from './registry';
import type { CommandServices } from './services';

export function accessCommands(services: CommandServices, access: KeyAccess): CommandTable {
  return { 'apiKeyGuard.manageWorkspaceAccess': () => manageWorkspaceAccess(services, access) };
}

/** Taking access back needs no modal question: another extension that runs it can only make the user allow a key again. */
async function manageWorkspaceAccess(services: CommandServices, access: KeyAccess): Promise<void> {
  const prompts = services.prompts();
  const grants = Object.entries(access.list()).flatMap(([workspace, ids]) =>
    ids.flatMap((id) => {
      const record = services.store.get(id);
      return record ? [{ workspace, record }] : [];
    }),
  );
  if (grants.length === 0) {
    await prompts.notify('info', 'No workspace may use your keys yet. A workspace asks the first time one of its launch configurations or tasks names a key.');
    return;
  }
  const picked = await prompts.pick(
    grants.map(({ workspace, record }) => ({
      label: record.name,
      description: `${services.providers.find(record.providerId)?.displayName ?? unknownProviderName(record.providerId)} · ${record.environment}`,
      detail: `Used by ${granteeLabel(vscode.Uri.parse(workspace))}`,
      grant: { workspace, id: record.id },
    })),
    { title: 'Manage Workspace Key Access', placeHolder: 'Pick a key to take back from its workspace', matchOnDetail: true },
  );
  if (!picked) {
    return;
  }
  await access.revoke(picked.grant.workspace, [picked.grant.id]);
  void prompts.notify(
    'info',
    `${capitalized(granteeLabel(vscode.Uri.parse(picked.grant.workspace)))} no longer gets '${picked.label}'; it asks again the next time it names it.`,
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
