/** What the commands say about their options, without repeating a value that may be a key. */
import { quoteIfName } from '../core/redaction';

/**
 * A parseArgs error in words that repeat no argument: Node's messages quote whole arguments, and an
 * argument may be a key pasted in the wrong place. An option is named only if its name may be named.
 */
export function describeParseError(error: unknown, positionalHint: string): string {
  const code = (error as { code?: string }).code;
  const [, dashes, name] = /'(--?)([^'\s=]+)/.exec((error as Error).message) ?? [];
  const option = name !== undefined && quoteIfName(name) !== undefined ? `${dashes}${name}` : 'an option';
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return `unexpected argument; ${positionalHint}`;
  }
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return option === 'an option' ? 'unknown option (its name is not shown: it may be a key)' : `unknown option ${option}`;
  }
  return `${option === 'an option' ? 'an option' : `option ${option}`} is used wrongly (missing value, or a value where none is expected)`;
}

/** The proxy a check goes through: HTTPS_PROXY (or https_proxy), except for the hosts NO_PROXY (or no_proxy) lists. */
export function proxyFromEnvironment(): { proxyUrl?: string; noProxy?: string } {
  const proxyUrl = process.env.https_proxy || process.env.HTTPS_PROXY;
  const noProxy = process.env.no_proxy || process.env.NO_PROXY;
  return { ...(proxyUrl ? { proxyUrl } : {}), ...(noProxy ? { noProxy } : {}) };
}
