/**
 * What a variable, field, header or flag name says its value is. A name is read as words (split at
 * separators, case changes and digits: `MYSQL_ROOT_PASSWORD`, `dbPass`, `o.Websocket.Password`), and
 * the words decide: a password, a key (a name that only ever holds a key, in any shape), something
 * key-like (a secret if the value looks random), or none of these (an id, a label, a file, a count).
 */

export type NameMeaning = 'password' | 'key' | 'key-like';

export interface NameReading {
  readonly meaning: NameMeaning;
  /** The word or words that decided, as the evidence a finding reports: `password`, `api key`. */
  readonly evidence: string;
}

const MAX_WORDS = 16;

/** The words of a name, lowercase: `MySQLRootPassword2` → my, sql, root, password, 2. Only the last dotted or `->`/`::` segment and the one before it count. */
export function wordsOf(name: string): string[] {
  const words: string[] = [];
  let word = '';
  let kind = 0; // 1 lower, 2 upper, 3 digit
  const flush = (): void => {
    if (word !== '' && words.length < MAX_WORDS) words.push(word.toLowerCase());
    word = '';
  };
  for (let i = 0; i < name.length && words.length < MAX_WORDS; i++) {
    const c = name.charCodeAt(i);
    const next = name.charCodeAt(i + 1);
    const charKind = c >= 97 && c <= 122 ? 1 : c >= 65 && c <= 90 ? 2 : c >= 48 && c <= 57 ? 3 : 0;
    if (charKind === 0) {
      flush();
      kind = 0;
      continue;
    }
    // A new word at a lower→upper change, a digit boundary, and before the last capital of a capital run followed by lowercase (`SQLRoot` → sql, root).
    const upperRunEnds = kind === 2 && charKind === 2 && next >= 97 && next <= 122;
    if (word !== '' && ((kind === 1 && charKind === 2) || (kind === 3) !== (charKind === 3) || upperRunEnds)) flush();
    word += name[i];
    kind = charKind;
  }
  flush();
  return words;
}

/** Words that make a password name: `password`, `passwd`, `pwd`, `pass`, `pw`, `passphrase`, and compounds ending so (`dbpass`, `rootpassword`). */
const PASSWORD_WORD = /^(?:pass(?:word|wd|phrase)?s?|pwd|pw|passwort|contrase[nñ]a|senha|mot_?de_?passe)$|[a-z](?:password|passwd|pwd|pass)$/;
/** Words before `pass` that make it a pass of something else: a render pass, lodash's `allPass`. */
const NOT_PASSWORD_BEFORE_PASS = new Set('all any render shader effect bloom output clear mask copy film texture first second multi single three'.split(' '));

/** Words ending in `pass` that say nothing about a password. */
const NOT_PASSWORD = new Set([
  'bypass',
  'nopasswd',
  'compass',
  'surpass',
  'overpass',
  'underpass',
  'trespass',
  'encompass',
  'impass',
  'mass',
  'class',
  'glass',
  'grass',
  'brass',
]);

/** Words of interface text and rules about a secret: wherever they are, the name holds a label, a message or a rule (`LABEL_PASSWORD`, `SHOW_PWD_TOOLTIP`, `password_min_length`). */
const UI_WORDS = new Set(
  (
    'label labels title tooltip hint placeholder message messages msg error errors prompt text caption description desc help button btn link icon ' +
    'field fields input form column col selector xpath css forgot show hide toggle visible visibility strength meter ' +
    'required policy policies regex regexp pattern rule rules length len min max minimum maximum complexity public pub publishable encrypted ' +
    'sealed wrapped wrong incorrect invalid bad missing weak status expected mismatch mock mocked fake dummy placeholder example sample'
  ).split(' '),
);

/** Words that may follow the secret's own word while the name still holds it: `password_confirmation`, `api_key_value`, `SECRET_KEY_BASE`, `token_prod`. */
const HOLDING_WORDS = new Set(
  'confirmation confirm value val plain plaintext raw literal str string old new current again repeat base v prod production dev test staging live sandbox default encoded b64 base64 hex'.split(
    ' ',
  ),
);

/** Words that make a key-like name hold something else: pagination cursors, lexer and design tokens, CSRF tokens, keyboard and database keys, JMESPath output tokens. */
const NOT_KEY_WORDS = new Set(
  (
    'next page continuation sync cancel cancellation lexer syntax parse parser design color colour theme font num total csrf xsrf output input ' +
    'start end sort foreign partition row cache map dict hotkey keyboard shortcut press pressed up down translation i18n locale lang react list ' +
    'item node object composite unique natural surrogate lookup group sequence result limit metadata criterion'
  ).split(' '),
);

/** Two-word names that only ever hold a key or a secret token. */
const KEY_PAIRS = new Set([
  'api key',
  'api token',
  'api secret',
  'app key',
  'application key',
  'application secret',
  'app secret',
  'app token',
  'access key',
  'access token',
  'auth token',
  'auth key',
  'bearer token',
  'client secret',
  'client key',
  'consumer key',
  'consumer secret',
  'integration key',
  'private token',
  'private key',
  'refresh token',
  'id token',
  'session token',
  'security token',
  'secret key',
  'secret token',
  'secret access',
  'master key',
  'license key',
  'signing key',
  'signing secret',
  'encryption key',
  'service key',
  'server key',
  'shared secret',
  'webhook secret',
  'oauth token',
  'token secret',
  'personal token',
  'account key',
  'storage key',
  'subscription key',
  'deploy key',
  'admin key',
  'admin token',
  'root token',
  'user token',
  'bot token',
  'hmac key',
  'hmac secret',
  'jwt secret',
  'cookie secret',
  'cookie key',
  'validation key',
  'auth secret',
]);

/** One-word names (and compounds written as one word) that only ever hold a key. */
const KEY_WORDS = new Set([
  'apikey',
  'apitoken',
  'apisecret',
  'appkey',
  'appsecret',
  'accesskey',
  'accesstoken',
  'authtoken',
  'authkey',
  'clientsecret',
  'consumerkey',
  'consumersecret',
  'privatetoken',
  'refreshtoken',
  'secretkey',
  'apikeys',
  'nkey',
  'xkey',
  'pat',
  'bearer',
  'privatekey',
  'masterkey',
  'licensekey',
  'signingkey',
  'encryptionkey',
  'servicekey',
  'serverkey',
  'clientkey',
  'authorization',
  'idtoken',
  'sessiontoken',
  'webhooksecret',
]);

const KEY_LIKE_WORDS = new Set(['key', 'keys', 'token', 'tokens', 'secret', 'secrets', 'credential', 'credentials', 'creds', 'cred', 'auth', 'seed']);

/**
 * What the name's value is, from its words; undefined when the name does not say it holds a
 * secret. The last secret word decides (`api_password` is a password, `password_token` a token);
 * two-word names say key (`api key`, `client secret`); interface words anywhere, and after the
 * secret's word any word but a few that keep holding it (`password_hash`, `api_key_id`), make it no secret.
 */
export function readName(name: string): NameReading | undefined {
  // Code repeats its names (`token`, `key`, `password`): each is read once, in a bounded cache.
  const cached = READINGS.get(name);
  if (cached !== undefined || READINGS.has(name)) return cached;
  if (READINGS.size >= MAX_CACHED_READINGS) READINGS.clear();
  const reading = readWords(name);
  READINGS.set(name, reading);
  return reading;
}

const READINGS = new Map<string, NameReading | undefined>();
const MAX_CACHED_READINGS = 4096;

function readWords(name: string): NameReading | undefined {
  const words = wordsOf(name);
  // A trailing number is an index (`password2`, `API_KEY_1`), not a word of the name.
  while (words.length > 1 && /^\d+$/.test(words[words.length - 1] as string)) words.pop();
  if (words.some((word) => UI_WORDS.has(word))) return undefined;
  for (let i = words.length - 1; i >= 0; i--) {
    const reading = secretWord(words, i);
    if (reading === undefined) continue;
    // Past the secret's word only words that keep holding it (`password_confirmation`, `api_key_2`); `password_not_matching` is a message.
    if (words.slice(i + 1).some((word) => !HOLDING_WORDS.has(word) && !/^\d+$/.test(word))) return undefined;
    if (reading.meaning !== 'password' && words.some((word) => NOT_KEY_WORDS.has(word))) return undefined;
    return reading;
  }
  return undefined;
}

/** Whether word `i` (with the one before it) names a secret. */
function secretWord(words: readonly string[], i: number): NameReading | undefined {
  const word = words[i] as string;
  const previous = words[i - 1];
  if (PASSWORD_WORD.test(word) && !NOT_PASSWORD.has(word) && !(word === 'pass' && previous !== undefined && NOT_PASSWORD_BEFORE_PASS.has(previous))) {
    return { meaning: 'password', evidence: word };
  }
  if (previous !== undefined && KEY_PAIRS.has(`${previous} ${word}`)) return { meaning: 'key', evidence: `${previous} ${word}` };
  if (KEY_WORDS.has(word)) return { meaning: 'key', evidence: word };
  if (KEY_LIKE_WORDS.has(word)) return { meaning: 'key-like', evidence: word };
  return undefined;
}
