import * as vscode from 'vscode';
import { defaultCertificates, systemCertificates } from '../core/certificates';

/** The network part of a check's options, from VS Code's `http.*` settings, and where its proxy came from. */
export interface NetworkSettings {
  readonly options: {
    readonly proxyUrl?: string;
    readonly noProxy?: string;
    readonly proxyAuthorization?: string;
    readonly proxyStrictSSL?: boolean;
    readonly proxySettings: string;
    readonly ca?: () => readonly string[];
  };
  /** The proxy's source as a message names it: "VS Code's setting http.proxy". */
  readonly proxySource: string;
}

/** Node's default roots plus the system's, read on the first check that needs TLS and then kept, as Node and VS Code keep them. */
let trustedWithSystem: readonly string[] | undefined;

function trustedCertificates(): readonly string[] {
  trustedWithSystem ??= [...defaultCertificates(), ...systemCertificates()];
  return trustedWithSystem;
}

/**
 * VS Code's network settings, applied to our own requests as VS Code's proxy agent applies them to
 * other extensions' (undici takes no part in the agent VS Code patches into Node's `https`):
 * `http.proxySupport` (`off` uses no proxy), `http.proxy` else `HTTPS_PROXY`, `http.noProxy` else
 * `NO_PROXY`, `http.proxyAuthorization`, `http.proxyStrictSSL` (the proxy's own certificate only),
 * and `http.systemCertificates` (the operating system's authorities besides Node's).
 * Only user settings count, as for VS Code itself: a workspace cannot choose where a key goes.
 */
export function readNetworkSettings(): NetworkSettings {
  const fromSettings = userSetting<string>('http.proxy');
  const proxyUrl = userSetting<string>('http.proxySupport') === 'off' ? undefined : fromSettings || process.env.HTTPS_PROXY || process.env.https_proxy;
  const noProxy = (userSetting<string[]>('http.noProxy') ?? []).join(',') || process.env.NO_PROXY || process.env.no_proxy;
  const proxyAuthorization = userSetting<string | null>('http.proxyAuthorization');
  const useSystemCertificates = userSetting<boolean>('http.systemCertificates') !== false;
  return {
    options: {
      proxySettings: fromSettings
        ? "VS Code's settings http.proxy and http.noProxy"
        : "VS Code's setting http.proxy, or HTTPS_PROXY and NO_PROXY where VS Code runs",
      ...(proxyUrl ? { proxyUrl } : {}),
      ...(noProxy ? { noProxy } : {}),
      ...(typeof proxyAuthorization === 'string' && proxyAuthorization !== '' ? { proxyAuthorization } : {}),
      ...(userSetting<boolean>('http.proxyStrictSSL') === false ? { proxyStrictSSL: false } : {}),
      ...(useSystemCertificates ? { ca: trustedCertificates } : {}),
    },
    proxySource: fromSettings ? "VS Code's setting http.proxy" : 'HTTPS_PROXY in the environment VS Code was started from',
  };
}

/** The user's value, or the default: VS Code reads its `http.*` settings so, never from a workspace. */
function userSetting<T>(name: string): T | undefined {
  const inspected = vscode.workspace.getConfiguration().inspect<T>(name);
  return inspected?.globalValue ?? inspected?.defaultValue;
}
