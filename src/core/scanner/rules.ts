/**
 * The rules, as data, in priority order: when two rules match the same characters the earlier one
 * reports (a GitHub token assigned to `GITHUB_TOKEN` is a `github-token`, not a `generic-secret`).
 * Provider rules are derived from the provider definitions, so a changed header or variable name
 * changes the scanner too; vendor token formats come from the catalogue (catalogue.ts).
 */
import { SEED_PROVIDERS } from '../providers/builtIn';
import { ProviderDefinition } from '../providers/types';
import { escapeRegExp } from '../regExp';
import { FORMAT_RULES } from './formats';
import type { AssignmentRule, PatternRule, Rule, ValueCheck } from './types';
import { builtInProviderVariable, FORMAT, VENDOR_RULES } from './vendorRules';

/** A value under a name that only ever holds a key (a provider's header or variable): any format, no fillers. */
const NAMED_KEY: ValueCheck = { minLength: 8, maxLength: 4096, minEntropy: 0, filter: 'named', allowIds: true };
/** A password: what the value says decides (placeholders, trivial words, labels, hashes are refused), not its length or randomness. */
const PASSWORD: ValueCheck = { minLength: 1, maxLength: 256, minEntropy: 0, filter: 'password' };
/** A value under a key-like name in general: must also look random. */
const GENERIC: ValueCheck = { minLength: 8, maxLength: 1024, minEntropy: 3.0, filter: 'strict' };

const PRIVATE_KEY: Rule = {
  kind: 'block',
  id: 'private-key',
  description: 'A PEM private key (RSA, EC, DSA, OpenSSH, PGP, PKCS#8).',
  message: 'A private key is hardcoded here.',
  severity: 'error',
  keywords: ['-----begin'],
};

/** Prefixes that make a build inline a variable into browser code: Next.js, Vite, Create React App, Expo, Nuxt and Gatsby public variables. */
const PUBLIC_ENV_PREFIXES = ['NEXT_PUBLIC', 'VITE', 'REACT_APP', 'EXPO_PUBLIC', 'NUXT_PUBLIC', 'GATSBY'];
/** A name that starts with one of those prefixes, the prefix's `_` included. */
export const PUBLIC_ENV_PREFIX = new RegExp(`^(?:${PUBLIC_ENV_PREFIXES.join('|')})_`);

/** Names whose value ships to every browser. */
const PUBLIC_ENV_KEY: AssignmentRule = {
  kind: 'assignment',
  id: 'public-env-key',
  description: 'A key assigned to a variable that the build inlines into browser code (`NEXT_PUBLIC_…`, `VITE_…`, `REACT_APP_…`, …).',
  message: '{name} is compiled into the browser bundle, so this key is public to every visitor; call the API from server code instead.',
  severity: 'error',
  keywords: PUBLIC_ENV_PREFIXES.map((prefix) => `${prefix.toLowerCase()}_`),
  names: [new RegExp(`${PUBLIC_ENV_PREFIX.source}[A-Z0-9_]*(?:KEY|TOKEN|SECRET)$`)],
  value: NAMED_KEY,
};

function exactNames(names: readonly string[]): RegExp {
  return new RegExp(`^(?:${names.map(escapeRegExp).join('|')})$`, 'i');
}

/** One rule per provider: a value assigned to one of its documented environment variables. */
function providerVariableRule(provider: ProviderDefinition): AssignmentRule {
  return {
    kind: 'assignment',
    id: `${provider.id}-key`,
    description: `A ${provider.displayName} key assigned to ${provider.envVars.map((name) => `\`${name}\``).join(' or ')}.`,
    message: `A key for ${provider.displayName} is hardcoded in {name}.`,
    severity: 'error',
    keywords: provider.envVars.map((name) => name.toLowerCase()),
    provider: provider.id,
    providerVariable: provider.envVars[0],
    names: [exactNames(provider.envVars)],
    value: NAMED_KEY,
  };
}

/** One rule per distinct key header (compared case-insensitively, as HTTP does), naming every provider that uses it. */
function headerRules(providers: readonly ProviderDefinition[]): AssignmentRule[] {
  const byHeader = new Map<string, { name: string; users: ProviderDefinition[] }>();
  for (const provider of providers) {
    if (provider.auth.in !== 'header' || provider.auth.name.toLowerCase() === 'authorization') {
      continue;
    }
    const key = provider.auth.name.toLowerCase();
    const entry = byHeader.get(key) ?? { name: provider.auth.name, users: [] };
    entry.users.push(provider);
    byHeader.set(key, entry);
  }
  return [...byHeader].map(([key, { name, users }]): AssignmentRule => {
    const names = users.map((provider) => provider.displayName).join(', ');
    // A header only one provider uses is that provider's: the key belongs in its variable, not one named after the header.
    const only = users.length === 1 ? users[0]?.envVars[0] : undefined;
    return {
      kind: 'assignment',
      id: `${key}-header`,
      description: `A key sent in the \`${name}\` header (${names}).`,
      message: `A key is hardcoded in the {name} header (${names}).`,
      severity: 'error',
      keywords: [key],
      header: key,
      ...(only === undefined ? {} : { providerVariable: only }),
      names: [exactNames([name])],
      value: NAMED_KEY,
    };
  });
}

const BEARER_TOKENS: readonly PatternRule[] = [
  {
    kind: 'pattern',
    id: 'jwt-bearer',
    description: 'A JSON Web Token sent as a bearer token.',
    message: 'A JWT is hardcoded as a bearer token; it grants access until it expires.',
    severity: 'error',
    keywords: ['bearer'],
    header: 'authorization',
    pattern: /(?:Bearer|bearer|BEARER)\s{1,4}(?<secret>eyJ[A-Za-z0-9_-]{10,2000}\.eyJ[A-Za-z0-9_-]{2,8000}\.[A-Za-z0-9_-]{0,1000})(?![\w.-])/dg,
    value: { ...FORMAT, maxLength: 12000 },
  },
  {
    kind: 'pattern',
    id: 'bearer-token',
    description: 'A literal token after `Bearer` (Layerx402 and most REST APIs send keys as `Authorization: Bearer <key>`).',
    message: 'A bearer token is hardcoded in an Authorization header.',
    severity: 'error',
    keywords: ['bearer'],
    header: 'authorization',
    pattern: /(?:Bearer|bearer|BEARER)(?:\s{1,4}|["'],\s{0,4}["'])(?<secret>[A-Za-z0-9._~+/-]{12,2000}={0,2})(?![A-Za-z0-9._~+/=-])/dg,
    value: { ...GENERIC, minLength: 12 },
  },
];

const SCALEFLEX_KEY_FORMAT: PatternRule = {
  kind: 'pattern',
  id: 'scaleflex-key-format',
  description: 'A 32-hex-digit Scaleflex DAM key within two lines of Filerobot or Scaleflex context.',
  message: 'This looks like a Scaleflex DAM (Filerobot) key: 32 hex digits next to Filerobot context.',
  severity: 'error',
  keywords: ['filerobot', 'scaleflex'],
  provider: 'scaleflex',
  ...builtInProviderVariable('scaleflex'),
  pattern: /(?<![0-9A-Za-z])(?<secret>[0-9a-f]{32})(?![0-9A-Za-z])/dg,
  value: { ...FORMAT, minLength: 32 },
  contextLines: 2,
  notAfter: /(?:etag|md5|hash|checksum|digest|sha\d*|uuid|guid|_id|uid|version|revision)["'\]]?\s*[:=,]?\s*["']?$/i,
};

const URL_PASSWORD: PatternRule = {
  kind: 'pattern',
  id: 'url-password',
  description: 'A URL with a password in it (`scheme://user:password@host`, the host also a format or template placeholder).',
  message: 'This URL carries a password; pass the credentials to the client separately.',
  severity: 'error',
  keywords: ['://'],
  userPassword: true,
  pattern:
    /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/[^\s:/@"'`<>{}$\\]{0,128}:(?<secret>[^\s/@"'`<>\\]{1,256})@(?:[A-Za-z0-9[][A-Za-z0-9.\-[\]]{0,254}|%[sv]|\{\w{0,32}\}|\$\{[\w.]{1,64}\})/dg,
  value: PASSWORD,
  // Most lines with a URL have no `@`; the pattern would otherwise be tried at every character of them.
  mustContain: '@',
};

/**
 * `Password=`/`Pwd=` as one `key=value` pair of a connection string: after `;` (ADO.NET, ODBC,
 * OLE DB, JDBC SQL Server, `&amp;` in XML), after `?` or `&` (JDBC URL parameters), or first in a
 * string that goes on with `;`. A pattern rather than the assignment reader: in code the string
 * literal is the value, and the pairs inside it are this syntax's own (`;`/`&`-separated, values
 * quoted or `{braced}`).
 */
const CONNECTION_STRING_PASSWORD: PatternRule = {
  kind: 'pattern',
  id: 'connection-string-password',
  description: 'A password in a database connection string (`…;User Id=sa;Password=…;`, `Pwd=`, JDBC `;password=` or `&password=`).',
  message: 'This connection string carries a password (integrated authentication needs none).',
  severity: 'error',
  keywords: ['password', 'pwd'],
  // The value: `{braced}` (ODBC; `{name}` is an interpolation instead), quoted
  // (also as `\"` inside a JSON, C# or Java string; not `"+variable+"`, the enclosing string's end),
  // or bare up to `;`, a quote, a space, or the `&` before the next parameter.
  pattern:
    /(?:[;?&][ \t]{0,8}|["'](?=(?:password|pwd)=[^;"'\n]{1,256};))(?:password|pwd)=(?:\\(?=["']))?[{"']?(?<secret>(?<=\{)(?![A-Za-z_][\w.]{0,255}\})[^}\n]{1,256}(?=\})|(?<=")(?![+.])[^"\\\n]{1,256}(?=\\?")|(?<=')(?![+.])[^'\\\n]{1,256}(?=\\?')|(?<![{"'])(?:[^;&"'`\s<>{}]|&(?!amp;|[\w.]{1,64}=)){1,256})/dgi,
  value: PASSWORD,
  // Most lines that mention a password assign nothing in this syntax.
  mustContain: '=',
};

/**
 * A password in a SQL statement that sets one: `USER name IDENTIFIED BY …` (MySQL, MariaDB,
 * Oracle, also `IDENTIFIED WITH plugin BY …`; the user named first, so prose that something "is
 * identified by" a word is not read as SQL) and `[WITH] [ENCRYPTED] PASSWORD '…'` (PostgreSQL roles, SQL
 * Server logins' `WITH PASSWORD = '…'`). Not MySQL's `IDENTIFIED BY PASSWORD '*…'`, which is a hash.
 */
const SQL_PASSWORD: PatternRule = {
  kind: 'pattern',
  id: 'sql-password',
  description: "A password set by a SQL statement (`CREATE USER … IDENTIFIED BY '…'`, `ALTER ROLE … WITH PASSWORD '…'`, `CREATE LOGIN … WITH PASSWORD = '…'`).",
  message: 'This SQL statement sets a literal password; pass it as a parameter or set it outside the script.',
  severity: 'error',
  keywords: ['identified', 'password'],
  // The value: quoted (also with the quotes a string in code doubles or escapes), or bare up to a space, `;` or `)` (Oracle).
  pattern:
    /(?:\b(?:user|to)\s{1,32}(?:if\s{1,32}not\s{1,32}exists\s{1,32})?(?!(?:is|was|are|were|be|been|gets?|got)\s)["'`]?[\w.$-]{1,64}["'`]?(?:@["'`]?[\w.%-]{0,64}["'`]?)?\s{1,32}identified(?:\s{1,32}with\s{1,32}\w{1,40})?\s{1,32}by\s{1,32}(?!password\b)|(?:\bwith\s{1,32}(?:encrypted\s{1,32})?|\b(?:user|role|login)\s{1,32}["'`[]?[\w.@%-]{1,64}["'`\]]?\s{1,32}(?:with\s{1,32})?(?:encrypted\s{1,32})?)password\s{0,32}=?\s{0,32}(?=['"\\]))(?:\\?['"]){0,2}(?<secret>(?<=')[^'\\\n]{1,128}(?=')|(?<=")[^"\\\n]{1,128}(?=")|(?<!['"\\])[^\s'"`;,)\\]{1,128})/dgi,
  value: PASSWORD,
};

/**
 * The credentials curl sends with `-u`/`--user` (and a proxy's, `-U`/`--proxy-user`): `user:password`,
 * the password after the first colon. Only with `curl` in the window, since other tools' `-u` is a
 * user name (`sudo -u`, `docker login -u`). A variable or an empty password (`-u "$KEY:"`, Stripe's
 * key as the user name, which its own format rule finds) is not one.
 */
const CURL_USER_PASSWORD: PatternRule = {
  kind: 'pattern',
  id: 'curl-user-password',
  description: 'A password in a curl command (`curl -u user:password …`, `--user`, `--proxy-user`).',
  message: 'This curl command carries a password in its credentials.',
  severity: 'error',
  keywords: ['curl'],
  userPassword: true,
  pattern: /(?<![\w-])(?:-[uU](?:[ \t]{1,8})?|--(?:proxy-)?user(?:[ \t]{1,8}|=))["']?[^\s:"'`$\\]{1,128}:(?<secret>(?![$%{])[^\s"'`\\]{1,256})/dg,
  value: PASSWORD,
  // Most lines that mention curl send no credentials.
  mustContain: ':',
};

/**
 * A session cookie in a `Cookie` or `Set-Cookie` header, on its line or the next (a recorded
 * response's YAML puts the value under the header): whoever holds it is its user until the session
 * ends. The cookie's name says it is a session's (`connect.sid`, `PHPSESSID`, `JSESSIONID`,
 * `_app_session`); the value must look random, so `sessionId=38afes7a8` in a header's docs is not one.
 */
const SESSION_COOKIE: PatternRule = {
  kind: 'pattern',
  id: 'session-cookie',
  description:
    'A session cookie in a `Cookie` or `Set-Cookie` header (`connect.sid`, `PHPSESSID`, `JSESSIONID`, `*_session`), as recorded responses and HAR files hold them.',
  message: 'A session cookie is recorded here: it signs in as its user until the session ends, so filter it out of recordings.',
  severity: 'warning',
  keywords: ['cookie'],
  contextLines: 1,
  pattern: /(?<![\w.%-])[\w.-]{0,40}(?:sid|sess|session|sessid|sessionid|session_id)=(?<secret>[^\s;,"'`\\]{16,512})/dgi,
  value: { ...GENERIC, minLength: 16, maxLength: 512 },
  mustContain: '=',
};

const AWS_SECRET_ACCESS_KEY: AssignmentRule = {
  kind: 'assignment',
  id: 'aws-secret-access-key',
  description: 'An AWS secret access key assigned to `aws_secret_access_key` or `secretAccessKey`.',
  message: 'An AWS secret access key is hardcoded in {name}.',
  severity: 'error',
  variable: 'AWS_SECRET_ACCESS_KEY',
  keywords: ['secret_access_key', 'secretaccesskey'],
  names: [/secret[_.-]?access[_.-]?key$/i],
  value: { ...GENERIC, minLength: 40, maxLength: 40 },
};

/** Names that only ever hold a key (see names.ts): any shape counts, UUIDs and hex too, since many APIs issue keys so. */
const NAMED_API_KEY: AssignmentRule = {
  kind: 'assignment',
  id: 'named-api-key',
  description:
    'A literal assigned to a name that only ever holds a key (`apiKey`, `API_TOKEN`, `client_secret`, `consumer_key`, `access_token`, …), in any shape.',
  message: 'A key is hardcoded in {name}.',
  severity: 'error',
  keywords: [
    'apikey',
    'api_key',
    'api-key',
    'api.key',
    'apitoken',
    'api_token',
    'api-token',
    'consumerkey',
    'consumer_key',
    'integrationkey',
    'integration_key',
    'nkey',
    'accountkey',
    'storagekey',
    'subscriptionkey',
    'validationkey',
    'deploykey',
    'adminkey',
    'hmackey',
    'cookiekey',
    'serverkey',
  ],
  names: [],
  meaning: 'key',
  value: NAMED_KEY,
};

/** Values under password-like names (see names.ts), short and letters-only ones too. */
const PASSWORD_ASSIGNMENT: AssignmentRule = {
  kind: 'assignment',
  id: 'password',
  description:
    'A literal password assigned to a password-like name (`password`, `passwd`, `pwd`, `pass`, `pw`, `passphrase`, `*_PASSWORD`, `db_pass`), in code, config, connection options and command lines.',
  message: 'A password is hardcoded in {name}.',
  severity: 'warning',
  keywords: ['pass', 'pwd', 'pw=', 'pw:', 'pw"', "pw'", '_pw', 'pw_', '-pw'],
  names: [],
  meaning: 'password',
  value: PASSWORD,
};

const GENERIC_SECRET: AssignmentRule = {
  kind: 'assignment',
  id: 'generic-secret',
  description: 'A random-looking literal assigned to a key-like name (`apiKey`, `api_key`, `secret`, `token`, `password`, `client_secret`, `*_KEY`, …).',
  message: 'A secret looks hardcoded in {name}.',
  severity: 'warning',
  keywords: [
    'api_key',
    'api-key',
    'apikey',
    'api.key',
    '_key',
    '-key',
    'secret',
    'token',
    'passw',
    'pwd',
    'credential',
    'accesskey',
    'privatekey',
    'authkey',
    'appkey',
    'masterkey',
    'clientkey',
    'signingkey',
    'encryptionkey',
    'licensekey',
    'servicekey',
  ],
  // The name's words decide (names.ts): `token`, `secret`, `*_KEY`, `credentials`, not `nextPageToken`, `colorToken` or `publicKeyToken`.
  names: [],
  meaning: 'key-like',
  value: GENERIC,
};

export function buildRules(providers: readonly ProviderDefinition[]): readonly Rule[] {
  return [
    PRIVATE_KEY,
    ...VENDOR_RULES,
    PUBLIC_ENV_KEY,
    ...providers.filter((provider) => provider.envVars.length > 0).map(providerVariableRule),
    ...headerRules(providers),
    ...BEARER_TOKENS,
    SCALEFLEX_KEY_FORMAT,
    ...FORMAT_RULES,
    URL_PASSWORD,
    CONNECTION_STRING_PASSWORD,
    SQL_PASSWORD,
    CURL_USER_PASSWORD,
    SESSION_COOKIE,
    AWS_SECRET_ACCESS_KEY,
    NAMED_API_KEY,
    PASSWORD_ASSIGNMENT,
    GENERIC_SECRET,
  ];
}

/** The prefixes of the vendor formats that prove themselves, each with the longest key it starts. */
const FORMAT_PREFIXES = VENDOR_RULES.filter((rule) => rule.contextLines === undefined).flatMap((rule) =>
  rule.keywords.map((prefix) => ({ prefix, longest: rule.value.maxLength })),
);
const VENDOR_RULE_IDS = new Set(VENDOR_RULES.map((rule) => rule.id));

/**
 * Whether a less specific rule's finding may be a vendor key still being typed: its value starts as
 * one of the formats that prove themselves do, and is shorter than their keys. An editor holds such a
 * finding back while the cursor is at its end, so that the vendor's finding does not replace it a moment later.
 */
export function mayBecomeVendorKey(ruleId: string, value: string): boolean {
  if (VENDOR_RULE_IDS.has(ruleId)) return false;
  const start = value.slice(0, 64).toLowerCase();
  return FORMAT_PREFIXES.some(({ prefix, longest }) => value.length < longest && start.startsWith(prefix));
}

// The catalogue's keys have vendor rules of their own (catalogue.ts), which name their provider.
export const RULES: readonly Rule[] = buildRules(SEED_PROVIDERS);

/** The id under which a user's own stored key is reported. */
export const STORED_KEY_RULE = {
  id: 'stored-key',
  description: 'One of your own keys from SecretStorage, pasted verbatim, whatever its format.',
  message: 'Your {label} is pasted here.',
  severity: 'error',
} as const;
