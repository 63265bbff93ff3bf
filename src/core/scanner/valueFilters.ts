/**
 * Whether a candidate value is a secret rather than a placeholder, a reference, an id, a label or a
 * word. Each filter has a name, which is what the bench counts refusals of and what a finding's
 * evidence never needs: a value is reported only when no filter refuses it. Which filters apply is
 * the value check's `filter`: what the context has already proved about the value.
 *
 * Every filter is written so that random keys pass it: a filter that refuses some share of real
 * keys is a filter that misses real keys (the accuracy bench measures each on random keys of every
 * format the rules accept). So fillers are long runs, not any four equal characters, and
 * placeholder words count as words of the value, not as substrings of random characters.
 */
import type { ValueCheck } from './types';

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  // Counted by UTF-16 code unit: a key is ASCII, and a string of other characters is judged as well either way.
  const counts = new Map<number, number>();
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export type Refusal =
  'length' | 'filler' | 'placeholder' | 'reference' | 'encrypted' | 'shape' | 'prose' | 'id' | 'identifier' | 'trivial' | 'hash' | 'randomness' | 'public';

/**
 * Fillers that no generated key contains: xxxx, ****, an elision (`sk-...`, `...a1b2`), <...>, and
 * AWS's documented examples, which end in EXAMPLE. Three dots inside a value are not one: keys whose
 * alphabet has `.` hold them about once in 10,000.
 */
const FILLER = /x{4}|X{4}|\*{3}|0{6}|^\.\.\.|\.\.\.$|\.{4}|[<>]|EXAMPLE|example|^[-_=#.]+$/;

/** Placeholder words, as words of the value (`YOUR_API_KEY`, `insert-token-here`, `dummyPassword`), not as letters inside random characters. */
const PLACEHOLDER_WORDS = new Set(
  (
    'example examples sample samples placeholder dummy fake mock mocked changeme change replace replaceme redacted removed hidden insert your yours ' +
    'here todo fixme tbd none null nil undefined empty blank default demo enter put provide fill goes secret secrets password passwd token ' +
    'apikey key credential credentials foo bar baz qux test testing tester lorem ipsum'
  ).split(' '),
);

/**
 * Strong placeholder words, also as letters inside a longer word (`mynodemanagerpassword`,
 * `apikeyhere`): checked only where the value is not random by proof (passwords and generic names),
 * since in 40 random letters a four-letter word turns up about once in 20,000 keys.
 */
const PLACEHOLDER_INSIDE = casedWords(
  ['example', 'sample', 'placeholder', 'dummy', 'changeme', 'changeMe', 'replace', 'redacted', 'password', 'passwd', 'secret', 'token', 'apikey', 'apiKey'],
  ['credential', 'insert', 'your(?=[a-zA-Z_-])', 'YOUR(?=[A-Z_-])'],
);

/**
 * The words as people write them: lower case, upper case or capitalised (`mypassword`,
 * `MY_PASSWORD`, `MyPassword`), never in the mixed case (`PaSs`, `YOUr`) that random keys are full of.
 */
function casedWords(...lists: readonly (readonly string[])[]): RegExp {
  const forms = lists.flat().flatMap((word) => (word.includes('(') ? [word] : [word, word.toUpperCase(), word.charAt(0).toUpperCase() + word.slice(1)]));
  return new RegExp([...new Set(forms)].join('|'));
}

/** References to a value kept elsewhere: a whole variable (`$DB_PASSWORD`, `%APPDATA%`, `@password`), environment lookups, templates, secret managers, format strings. */
const REFERENCE =
  /^\$(?:[A-Z_][A-Z0-9_]*|[a-z_][a-z0-9_]*)$|^\$[A-Za-z_]\w*[/:]|^&#?\w+;|\$\{|\$\(|\{\{|\}\}|#\{|<%|%\([a-z_]+\)[sd]|^%[sdv]$|\{\d*\}|\{[A-Za-z_][\w.]*\}|process\.env|getenv|environ|ENV\[|env\(|Environment\.|secrets\.|vault:|^arn:|^ref\+|^projects\/|^!(?:vault|Ref|Sub|GetAtt|ImportValue|Join|Select|FindInMap|Base64|encrypted|secret|env|include)\b/;

/**
 * `@password`, `@db_password2`, `@Model.Password`, `%APPDATA%`: an instance, SQL, template or Windows environment variable, whose name
 * reads as words, unlike a random password that starts with `@`.
 */
function isNamedReference(value: string): boolean {
  const name = /^@([A-Za-z_][\w.]*)$|^%([\w.]+)%$/
    .exec(value)
    ?.slice(1)
    .find((group) => group !== undefined);
  return name !== undefined && isWordLike(name.replace(/\d+$/, ''));
}

/** Encrypted values, which are safe to commit by design: sops, ansible-vault, SealedSecrets-style `AgB…` blobs are judged elsewhere. */
const ENCRYPTED = /^ENC\[|^\$ANSIBLE_VAULT|^vault:v\d|^AQICAH|^-----BEGIN PGP MESSAGE/;

/** Shapes that are never secrets: URLs, paths, data URIs, SRI hashes, colours, version strings, dates, short numbers, JMESPath and JSONPath expressions (`Jobs[-1].JobId`), enum constants. */
const NOT_A_SECRET_SHAPE =
  /^(?:[a-z][a-z0-9+.-]*:\/\/|(?=[^A-Z]*$)\.{0,2}\/[\w.-]*(?:\/[\w.-]*)*$|\.{1,2}\/[\w./-]*$|\/[\w/-]*\.[a-z0-9]{1,5}$|~\/|[A-Za-z]:\\|data:|sha(?:1|256|384|512)-|#[0-9A-Fa-f]{3,8}$|rgba?\(|hsla?\(|v?\d+(?:\.\d+){1,3}(?:-[\w.]+)?$|\d{1,7}$|[\d.,:_ /-]*[.,:_ /-][\d.,:_ /-]*$|(?:true|false|yes|no|on|off)$|.*\[-?\d*\*?\]|[\w.]+\(.*\)$)/i;
/** An enum constant or a constant's name (`EC2_INSTANCE_ARN`, `SCAN_ID`): upper-case words joined by underscores. */
const ENUM_CONSTANT = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/** Password hashes in their own formats (bcrypt, crypt(3), argon2, PBKDF2, LDAP): stored by design, and not the password. */
const PASSWORD_HASH =
  /^(?=.{20})(?:\$(?:2[abxy]?|1|5|6|y|argon2(?:id|i|d)|pbkdf2(?:-sha\d+)?|scrypt|apr1)\$|\{(?:SSHA|SHA|SMD5|MD5|CRYPT|PBKDF2)[^}]*\}|pbkdf2_sha\d+\$|sha\d+\$)/i;

/** A NATS public nkey (user, account, operator, server, cluster, curve): the public half, which configurations list by design. */
const PUBLIC_NKEY = /^[UANOCX][A-Z2-7]{55}$/;

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Passwords that hold no secret: the words people write where a password goes in a test, a sample or a form. */
const TRIVIAL_PASSWORD_WORDS = new Set(
  (
    'pass pw pwd pword password passwd passw0rd p4ssw0rd secret s3cr3t topsecret top test tests testing tester foo bar baz qux quux admin administrator ' +
    'root user username usr guest demo example sample changeme letmein qwerty welcome login hunter default none null nil empty true false yes no ' +
    'value string text my your new old mine abc xyz pwd1 secure super mysecret mypassword auth client server any all ' +
    'local localhost dev prod staging asdf qwer qwerty asdfgh zxcv'
  ).split(' '),
);

const WHITESPACE = /\s/;
/** Letters outside ASCII: translations of a label (`Passwort`, `パスワード`), not a password someone set. */
const NON_ASCII_LETTER = /(?=\P{ASCII})\p{L}/u;

export function isPlausibleSecret(value: string, check: ValueCheck): boolean {
  return refusalOf(value, check) === undefined;
}

/** Which filter refuses the value, or undefined when none does. */
export function refusalOf(value: string, check: ValueCheck): Refusal | undefined {
  if (value.length < check.minLength || value.length > check.maxLength) return 'length';
  if (FILLER.test(value) || (!check.binary && isFiller(value))) return 'filler';
  if (check.filter === 'format') return undefined;
  if (REFERENCE.test(value) || isNamedReference(value)) return 'reference';
  if (ENCRYPTED.test(value)) return 'encrypted';
  if (PASSWORD_HASH.test(value)) return 'hash';
  if (check.filter === 'password') return passwordRefusal(value);
  if (hasPlaceholderWord(value) || isSequences(value)) return 'placeholder';
  if (NOT_A_SECRET_SHAPE.test(value) || ENUM_CONSTANT.test(value)) return 'shape';
  if (WHITESPACE.test(value) || NON_ASCII_LETTER.test(value)) return 'prose';
  if (!check.allowIds && UUID.test(value)) return 'id';
  if (PUBLIC_NKEY.test(value)) return 'public';
  if (isWordLike(value) || isPropertyPath(value)) return 'identifier';
  if (check.filter === 'named') return undefined;
  if (PLACEHOLDER_INSIDE.test(value)) return 'placeholder';
  if (characterClasses(value) < 2 && !hasRandomLetters(value)) return 'randomness';
  return shannonEntropy(value) >= requiredEntropy(value.length, check.minEntropy) ? undefined : 'randomness';
}

/**
 * A password is judged by what it says, not by how random it looks: short and letters-only ones are
 * real passwords. Refused: placeholders, the trivial words of tests and samples (`pass`, `test1`,
 * `foo`), labels and messages (prose, translations), hashes, and one or two characters.
 */
function passwordRefusal(written: string): Refusal | undefined {
  // A URL's password is judged as it decodes: `%2F%40` is `/@`.
  const value = percentDecoded(written);
  if (PLACEHOLDER_INSIDE.test(value) || PASS.test(value) || hasPlaceholderWord(value) || BRACKETED.test(value) || isSequences(value)) return 'placeholder';
  if (NON_ASCII_LETTER.test(value) || isProse(value)) return 'prose';
  if (isTrivialPassword(value)) return 'trivial';
  if (PASSWORD_SHAPE.test(value)) return 'shape';
  if (isPhraseOfWords(value)) return 'identifier';
  return undefined;
}

function percentDecoded(value: string): string {
  if (!/%[0-9A-Fa-f]{2}/.test(value)) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const PASS = casedWords(['pass']);

/** `[FUZZ]`, `{password}`, a trailing wildcard: a slot for a value, not one. */
const BRACKETED = /^\[.*\]$|^\{.*\}$|^\*[/\s]|^[A-Za-z]{1,4}\*$/;

/**
 * Not a password: a URL or a path (`/mnt`, `./x`), a file extension (`.txt`), dotted words or
 * numbers (`postgres.password`, an OID, an address), a keyword argument (`help=`), a call (`config.Get(`).
 */
const PASSWORD_SHAPE = /^(?:[a-z][a-z0-9+.-]*:\/\/|\.{1,2}\/|\/[a-z0-9_./-]*$|\.[a-z]+$|[a-z_]+(?:\.[a-z_]+)+$|[\d.]+\.[\d.]+$|[a-z][a-z_]*=$|[\w.]*\w\()/;

/**
 * Three or more words that read as words, one of them a word of five letters or more, run together or
 * separated (`ConvertTo-SecureString`, `does.not.matter`): an identifier or a phrase, not `wesMzyAgbXme`.
 */
function isPhraseOfWords(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z._-]*$/.test(value)) return false;
  const words = wordsOfValue(value);
  return (
    words.length >= 3 &&
    isCasedLikeWords(value) &&
    words.some((word) => word.length >= 5 && word !== word.toUpperCase()) &&
    words.every((word) => word.length >= 3 && readsAsWord(word))
  );
}

/** Made of straight runs, up or down (`012345abcdef`, `ABCDEFGHIJKL`, `1234567898765432`): a typed-in placeholder, never a generated key. */
function isSequences(value: string): boolean {
  let covered = 0;
  let run = 1;
  let step = 0;
  for (let i = 1; i <= value.length; i++) {
    const next = i < value.length ? value.charCodeAt(i) - value.charCodeAt(i - 1) : 0;
    if ((next === 1 || next === -1) && (run === 1 || next === step)) {
      run++;
      step = next;
    } else {
      if (run >= 4) covered += run;
      run = next === 1 || next === -1 ? 2 : 1;
      step = next;
    }
  }
  return value.length >= 6 && covered * 4 >= value.length * 3;
}

/** Several words with spaces, or a sentence: `Account password`, `Enter your password.`; one space between two random words is a passphrase. */
function isProse(value: string): boolean {
  const words = value.trim().split(/\s+/);
  if (words.length <= 1) return false;
  return words.length >= 3 || /[.!?:]$/.test(value.trim()) || words.every((word) => /^[A-Z]?[a-z]+$/.test(word) && hasVowels(word));
}

function hasVowels(word: string): boolean {
  return /[aeiouy]/i.test(word);
}

/** Made only of trivial words and at most four digits (`test1`, `pass123`, `foo-bar`), or of one to three characters. */
function isTrivialPassword(value: string): boolean {
  if (value.length <= 3) return true;
  const lower = value.toLowerCase();
  const words = lower.match(/[a-z]+/g) ?? [];
  const digits = lower.replace(/[^\d]/g, '').length;
  return (words.length > 0 && digits <= 4 && words.every((word) => TRIVIAL_PASSWORD_WORDS.has(word))) || isSequence(lower);
}

/** A straight run such as `123456`, `abcdef` or `654321`. */
function isSequence(value: string): boolean {
  if (value.length < 3) return false;
  const step = value.charCodeAt(1) - value.charCodeAt(0);
  if (step !== 1 && step !== -1) return false;
  for (let i = 2; i < value.length; i++) if (value.charCodeAt(i) - value.charCodeAt(i - 1) !== step) return false;
  return true;
}

/** The value's words: runs of lowercase letters with at most one capital before them, runs of capitals, split at everything else. */
function wordsOfValue(value: string): string[] {
  return value.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [];
}

/**
 * A placeholder word as a word of the value: `YOUR_API_KEY`, `insert-key-here`, `dummyToken`. A
 * short one (`key`, `foo`, `test`) counts only in a value made of words, since random characters
 * split into short "words" too (`aZkeyQ9`).
 */
function hasPlaceholderWord(value: string): boolean {
  const words = wordsOfValue(value);
  const madeOfWords = words.every((word) => word.length >= 3 && soundsLikeWord(word));
  return words.some((word) => PLACEHOLDER_WORDS.has(word.toLowerCase()) && (word.length >= 5 || madeOfWords));
}

/**
 * A run of one character over half the value, or of eight or more (`aaaaaaaa`, `sk_test_0000…`):
 * random keys have neither (eight equal characters turn up once in 10^9 hex keys).
 */
function isFiller(value: string): boolean {
  let run = 1;
  let longest = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) ? run + 1 : 1;
    if (run > longest) longest = run;
  }
  return longest >= 8 || (longest >= 4 && longest * 2 >= value.length) || fewerDistinctThan(value, 3);
}

/** Whether the value has fewer than `limit` distinct characters; stops at the limit, so a long value costs little. */
function fewerDistinctThan(value: string, limit: number): boolean {
  const seen: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!seen.includes(c) && seen.push(c) >= limit) return false;
  }
  return true;
}

/** A string of n distinct characters has log2(n) bits per character at most, so short values get a lower bar. */
function requiredEntropy(length: number, minEntropy: number): number {
  return Math.min(minEntropy, Math.log2(length) * 0.8);
}

function characterClasses(value: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

/**
 * Identifiers, i18n keys, enum members and prose: letters and separators only, in words that read
 * as words (`someTokenName`, `auth.password.label`, `X-Api-Key`). Random letters change case every
 * character or two, and a run of them is unpronounceable: consonants five in a row, or few vowels.
 */
export function isWordLike(value: string): boolean {
  // Letters and the punctuation of names and code (`auth.password.label`, `session['token']`), never the symbols of passwords or the digits of keys.
  if (!/^[A-Za-z_.:/\s'"()[\],;-]+$/.test(value)) return false;
  const words = wordsOfValue(value);
  if (words.length === 0) return false;
  let letters = 0;
  for (const word of words) letters += word.length;
  // Random characters split into one- and two-letter "words" at case changes; an identifier's short words stand between separators (`path_to_file`).
  const separated = /[_.\s-]/.test(value);
  return (
    letters / words.length >= 3 &&
    isCasedLikeWords(value) &&
    words.every((word) => (separated || word.length >= 3) && (word.length < 12 ? soundsLikeWord(word) : readsAsWord(word)))
  );
}

/** An index in a property path: `.0` between segments, `[2]`. */
const INDEX_SEGMENT = /\.\d{1,4}(?=\.|$)|\[\d{1,4}\]/g;

/** A property path with indexes (`body.0.id`, `rows[2].name`), in a list of an AST's keys or a form's fields: words and numbers, no secret. */
function isPropertyPath(value: string): boolean {
  const words = value.replace(INDEX_SEGMENT, '');
  return words !== value && words !== '' && isWordLike(words);
}

/**
 * Capitals as identifiers have them, part by part between separators: a whole part in capitals
 * (`API_KEY`), or capitals that begin words and spell short acronyms (`XMLHttpRequest`), so at most
 * two in five letters of a long part. Random letters are capitals half the time.
 */
function isCasedLikeWords(value: string): boolean {
  // Separators stand between words: not two different ones together, nor a dash at either end or a dot first (`_-`, `x.-y`, `abc-`); a sentence ends in a dot.
  if (/([_.-])(?!\1)[_.-]|^[-.]|-$/.test(value)) return false;
  return value.split(/[^A-Za-z]+/).every((part) => {
    if (part.length < 10 || part === part.toUpperCase()) return true;
    return part.replace(/[^A-Z]/g, '').length * 5 <= part.length * 2;
  });
}

/** Words of names with no vowel: protocols and formats. */
const UNVOICED_WORDS = new Set(['http', 'https', 'smtp', 'smtps', 'sftp', 'html', 'xhtml', 'pkcs', 'nntp', 'ntlm']);

/**
 * A short word, an acronym (`URL`, `HTTPS`) or one with a vowel and no five consonants in a row
 * (`Token`, `password`, `strength`); of random letters, two in five four-letter runs fail it.
 */
function soundsLikeWord(word: string): boolean {
  if (word.length <= 3 || (word.length <= 5 && word === word.toUpperCase()) || UNVOICED_WORDS.has(word.toLowerCase())) return true;
  return /[aeiouy]/i.test(word) && !/[^aeiouy]{5}/i.test(word);
}

/** Whether a letters-only value holds a run of twelve or more that no word has: the random part of a lowercase key (a shorter one is as often an id). */
function hasRandomLetters(value: string): boolean {
  return wordsOfValue(value).some((word) => word.length >= 12 && !readsAsWord(word));
}

/** Pronounceable: no five consonants in a row, and about as many vowels as words have (random letters have a fifth). */
function readsAsWord(word: string): boolean {
  let vowels = 0;
  let run = 0;
  for (const char of word.toLowerCase()) {
    if ('aeiouy'.includes(char)) {
      vowels++;
      run = 0;
    } else if (++run >= 5) return false;
  }
  return vowels / word.length >= 0.28;
}
