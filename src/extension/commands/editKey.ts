/** Edit Key Details: one detail at a time; a change to what the check sends drops the last result. */
import { isDeepStrictEqual } from 'node:util';
import type { KeyRecord } from '../../core/keyRecord';
import { checkOf, defaultBaseUrl, parametersOf } from '../../core/providers/checkTarget';
import { describeKeyCheck } from '../../core/providers/presentation';
import { askBaseUrl, askCheck, askEnvironment, askOptionalDate, askParameters } from './questions';
import type { CommandServices } from './services';

/** The details a check request is built from, besides the secret and the provider. */
const CHECK_REQUEST_FIELDS: ReadonlySet<keyof KeyRecord> = new Set(['baseUrl', 'params', 'checkId']);

export async function editKey(services: CommandServices, record: KeyRecord): Promise<KeyRecord | undefined> {
  const provider = services.providers.find(record.providerId);
  const check = provider && checkOf(provider, record.checkId);
  const parameters = provider ? parametersOf(provider, check) : [];
  const fields = [
    { label: 'Name', description: record.name, field: 'name' },
    { label: 'Environment', description: record.environment, field: 'environment' },
    { label: 'Owner', description: record.owner ?? 'not set', field: 'owner' },
    { label: 'Expiry date', description: record.expiresOn ?? 'not set', field: 'expiresOn' },
    { label: 'Rotate-by date', description: record.rotateBy ?? 'not set', field: 'rotateBy' },
    // Without the provider's definition there is no default base URL to show and no check to point elsewhere.
    ...(provider ? [{ label: 'Base URL', description: record.baseUrl ?? `${defaultBaseUrl(provider, check)} (default)`, field: 'baseUrl' as const }] : []),
    // Also offered when the key's check is gone from the provider, so the key can be made checkable again.
    ...(provider && (provider.alternativeChecks?.length || record.checkId)
      ? [{ label: 'Check', description: describeKeyCheck(provider, record.checkId), field: 'checkId' as const }]
      : []),
    ...(parameters.length
      ? [
          {
            label: 'Check parameters',
            description: parameters.map((parameter) => `${parameter.label}: ${record.params[parameter.name] ?? '—'}`).join(', '),
            field: 'params' as const,
          },
        ]
      : []),
  ] as const;
  const picked = await services.prompts().pick(fields, { title: `Edit '${record.name}'`, placeHolder: 'Which detail?' });
  if (!picked) {
    return undefined;
  }
  const prompts = services.prompts();
  let change: Partial<KeyRecord> | undefined;
  switch (picked.field) {
    case 'name':
    case 'owner': {
      const value = await prompts.input({
        title: `Edit '${record.name}': ${picked.label}`,
        value: record[picked.field] ?? '',
        validateInput: (text) => (picked.field === 'name' && !text.trim() ? 'Enter a name.' : undefined),
      });
      change = value === undefined ? undefined : { [picked.field]: value.trim() || undefined };
      break;
    }
    case 'environment': {
      const value = await askEnvironment(services, `Edit '${record.name}': Environment`, record.environment);
      change = value === undefined ? undefined : { environment: value.trim() };
      break;
    }
    case 'expiresOn':
    case 'rotateBy': {
      const value = await askOptionalDate(services, `Edit '${record.name}': ${picked.label}`, {
        prompt: picked.field === 'rotateBy' ? 'When should this key be rotated?' : 'When does this key expire?',
        current: record[picked.field],
        expiry: picked.field === 'expiresOn',
      });
      change = value === undefined ? undefined : { [picked.field]: value ?? undefined };
      break;
    }
    case 'baseUrl': {
      const value = provider && (await askBaseUrl(services, record, provider));
      change = value === undefined ? undefined : { baseUrl: value ?? undefined };
      break;
    }
    case 'params': {
      const params = provider && (await askParameters(services, provider, record.params, check));
      change = params ? { params } : undefined;
      break;
    }
    case 'checkId': {
      const checkId = provider && (await askCheck(services, `Edit '${record.name}': check`, provider, record.checkId));
      // A WebSocket URL serves no GET, nor a base URL a WebSocket check: the key's own goes with a change of kind.
      const otherKind = provider && checkId !== undefined && !checkOf(provider, checkId ?? undefined).websocket !== !check?.websocket;
      change = checkId === undefined ? undefined : { checkId: checkId ?? undefined, ...(otherKind ? { baseUrl: undefined } : {}) };
      break;
    }
  }
  if (!change) {
    return undefined;
  }
  const changed = changedFields(record, change);
  // Only a new request makes the last result stale; a new name or date does not.
  const changesRequest = CHECK_REQUEST_FIELDS.has(picked.field) && changed.length > 0;
  const updated = await services.store.update(record.id, (current) =>
    dropUndefined({ ...current, ...change, ...(changesRequest ? { lastCheck: undefined } : {}) }),
  );
  if (updated) {
    // Field names only: a value typed in the wrong box may be a key.
    services.log.info(
      `edited key '${record.name}' (${record.environment}): ${changed.length ? changed.join(', ') : 'nothing changed'}${changesRequest && record.lastCheck ? '; last check dropped' : ''}`,
    );
    services.prompts().status(`Saved ${picked.label.charAt(0).toLowerCase()}${picked.label.slice(1)} of '${updated.name}' (${updated.environment})`);
  }
  return updated;
}

/** The names of the fields `change` gives a new value, a parameter by its own name (`params.tenantId`). */
function changedFields(record: KeyRecord, change: Partial<KeyRecord>): string[] {
  return Object.entries(change).flatMap(([field, value]) => {
    if (field === 'params') {
      const before = record.params;
      const after = (value ?? {}) as Readonly<Record<string, string>>;
      return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((name) => before[name] !== after[name]).map((name) => `params.${name}`);
    }
    return isDeepStrictEqual(value, record[field as keyof KeyRecord]) ? [] : [field];
  });
}

function dropUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
