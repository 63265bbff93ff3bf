import type { CheckService } from '../checkService';
import type { KeyStore } from '../keyStore';
import type { Log } from '../log';
import type { Prompts } from '../prompts';
import type { ProviderRegistry } from '../providerRegistry';

/** What the commands work with, built once in `activate`. `prompts` is a getter so tests can answer for the user. */
export interface CommandServices {
  readonly store: KeyStore;
  readonly providers: ProviderRegistry;
  readonly checks: CheckService;
  readonly log: Log;
  prompts(): Prompts;
}
