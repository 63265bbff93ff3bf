import * as assert from 'node:assert/strict';
import { createRedactor, maskSecret, MIN_FRAGMENT_LENGTH } from '../../src/core/redaction';

const redact = (text: string, secrets: readonly string[]): string => createRedactor(secrets)(text);

/** The credential-shaped masking alone, as for a log line with no secrets at hand. */
const redactCredentials = createRedactor([]);

const KEY = 'U2FsZXM+TGF5ZXI/a2V5/AbCdEfGh==';
const HEX_KEY = '19692813e7364ef8ad6a6504d50a12ca';

/** Every run of MIN_FRAGMENT_LENGTH characters of `key` found in `text`, case-insensitively. */
function fragmentsIn(text: string, key: string): string[] {
  const lower = text.toLowerCase();
  const found: string[] = [];
  for (let start = 0; start + MIN_FRAGMENT_LENGTH <= key.length; start++) {
    const fragment = key.slice(start, start + MIN_FRAGMENT_LENGTH);
    if (lower.includes(fragment.toLowerCase())) {
      found.push(fragment);
    }
  }
  return found;
}

/** Python's `urllib.parse.quote`: keeps `/` and unreserved characters, encodes `+` and `=`. */
function pythonQuote(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9_.~/-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

const percentAll = (text: string, lowercase = false) =>
  [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')[lowercase ? 'toLowerCase' : 'toUpperCase']()}`).join('');
const jsonUnicode = (text: string) => [...text].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const htmlReferences = (text: string) => [...text].map((char) => `&#x${char.charCodeAt(0).toString(16)};`).join('');

/** Forms a client, a server or a log may echo a text in, each with the decoding that recovers it. */
const ENCODINGS: readonly { name: string; encode: (text: string) => string; decode: (text: string) => string }[] = [
  { name: 'raw', encode: (text) => text, decode: (text) => text },
  { name: 'encodeURIComponent', encode: encodeURIComponent, decode: lenientPercentDecode },
  { name: "Python's quote", encode: pythonQuote, decode: lenientPercentDecode },
  { name: 'every byte percent-encoded, lowercase hex', encode: (text) => percentAll(text, true), decode: lenientPercentDecode },
  {
    name: 'partly percent-encoded, mixed-case hex',
    encode: (text) => [...text].map((char, index) => (index % 3 === 0 ? percentAll(char, index % 2 === 0) : char)).join(''),
    decode: lenientPercentDecode,
  },
  { name: 'form-encoded (spaces as +)', encode: (text) => encodeURIComponent(text).replace(/%20/g, '+'), decode: lenientPercentDecode },
  {
    name: 'double percent-encoded',
    encode: (text) => encodeURIComponent(encodeURIComponent(text)),
    decode: (text) => lenientPercentDecode(lenientPercentDecode(text)),
  },
  { name: 'JSON string', encode: (text) => JSON.stringify(text).slice(1, -1), decode: jsonUnescape },
  { name: 'JSON with escaped slashes', encode: (text) => JSON.stringify(text).slice(1, -1).replace(/\//g, '\\/'), decode: jsonUnescape },
  { name: 'JSON \\u escapes', encode: jsonUnicode, decode: jsonUnescape },
  {
    name: 'HTML character references',
    encode: htmlReferences,
    decode: (text) => text.replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
  },
  { name: 'base64', encode: (text) => Buffer.from(text).toString('base64'), decode: decodeBase64Anywhere },
  { name: 'base64url', encode: (text) => Buffer.from(text).toString('base64url'), decode: decodeBase64Anywhere },
];

function jsonUnescape(text: string): string {
  return text.replace(/\\u([0-9a-f]{4})|\\(.)/gi, (_m, hex: string | undefined, char: string) => (hex ? String.fromCharCode(parseInt(hex, 16)) : char));
}

function lenientPercentDecode(text: string): string {
  return text.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Every base64 run decoded at each alignment, joined: where a key would show if it survived in one. */
function decodeBase64Anywhere(text: string): string {
  return (text.match(/[A-Za-z0-9+/_-]{4,}/g) ?? [])
    .flatMap((run) => [0, 1, 2, 3].map((offset) => Buffer.from(run.slice(offset).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1')))
    .join(' ');
}

/** A deterministic generator, so a failing case can be reproduced from its seed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

const ALPHABETS = {
  hex: '0123456789abcdef',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=',
  token: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.',
};

function randomKey(next: () => number): string {
  const alphabet = Object.values(ALPHABETS)[Math.floor(next() * 3)]!;
  const length = 16 + Math.floor(next() * 48);
  return Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}

describe('maskSecret', () => {
  it('shows no characters of keys under 12 characters', () => {
    assert.equal(maskSecret('abc'), '****');
    assert.equal(maskSecret('abcdefghijk'), '****');
  });
  it('shows the last 2 characters from 12 and the last 4 from 20', () => {
    assert.equal(maskSecret('abcdefghijkl'), '****kl');
    assert.equal(maskSecret('19692813e7364ef8ad6a6504d50a12ca'), '****12ca');
  });
});

describe('redact', () => {
  const masked = maskSecret(KEY);

  for (const { name, encode, decode } of ENCODINGS) {
    it(`masks the whole key written ${name}, and nothing around it`, () => {
      const form = encode(KEY);
      const text = redact(`error: key ${form} is invalid`, [KEY]);
      assert.equal(text, `error: key ${masked} is invalid`);
      assert.deepEqual(fragmentsIn(decode(text), KEY), []);
    });
  }

  it('masks a key inside a Basic credential, user name and all', () => {
    const header = `Authorization: Basic ${Buffer.from(`user:${HEX_KEY}`).toString('base64')}`;
    const text = redact(`sent ${header}`, [HEX_KEY]);
    assert.deepEqual(fragmentsIn(decodeBase64Anywhere(text), HEX_KEY), [], text);
    assert.match(text, /^sent Authorization: Basic /);
  });

  describe('fragments glued to other text', () => {
    const glued: readonly [string, string, string][] = [
      ['a query parameter with the first 20 characters', `api_key=${HEX_KEY.slice(0, 20)}…`, `api_key=${maskSecret(HEX_KEY)}…`],
      ['a path segment', `GET /v1/keys/${HEX_KEY.slice(5, 17)}/usage`, `GET /v1/keys/${maskSecret(HEX_KEY)}/usage`],
      ['a prefix', `unknown key-${HEX_KEY.slice(12, 24)}`, `unknown key-${maskSecret(HEX_KEY)}`],
      ['the last 8 characters', `ends ...${HEX_KEY.slice(-8)}.`, `ends ...${maskSecret(HEX_KEY)}.`],
      ['letters in another case', `KEY ${HEX_KEY.slice(4, 16).toUpperCase()} refused`, `KEY ${maskSecret(HEX_KEY)} refused`],
    ];
    for (const [name, input, expected] of glued) {
      it(`masks ${name}`, () => {
        assert.equal(redact(input, [HEX_KEY]), expected);
      });
    }

    it('replaces a fragment by the key own mask, never by characters of the fragment', () => {
      const fragment = HEX_KEY.slice(8, 24);
      const text = redact(`echo=${fragment}`, [HEX_KEY]);
      assert.equal(text, `echo=****${HEX_KEY.slice(-4)}`);
      assert.ok(!text.includes(fragment.slice(-4)), text);
    });

    it('masks every fragment of 8 or more characters at every position of the key, glued on both sides', () => {
      for (let start = 0; start + MIN_FRAGMENT_LENGTH <= KEY.length; start++) {
        for (let end = start + MIN_FRAGMENT_LENGTH; end <= KEY.length; end++) {
          const text = redact(`x${KEY.slice(start, end)}#`, [KEY]);
          assert.deepEqual(fragmentsIn(text, KEY), [], `fragment ${start}..${end}: ${text}`);
          // Matching ignores case, so an x glued before a key's X is taken for the key's own.
          assert.ok(text.startsWith('x') || KEY[start - 1] === 'X', text);
          assert.ok(text.endsWith('#'), text);
        }
      }
    });

    it('leaves runs of 7 characters of the key and unrelated text alone', () => {
      const text = `${HEX_KEY.slice(0, 7)} ${HEX_KEY.slice(10, 17)} 0123456789abcdef`;
      assert.equal(redact(text, [HEX_KEY]), text);
    });
  });

  it('masks random keys and fragments in every form, wherever they sit (property check over seeded random cases)', () => {
    const next = random(20240611);
    for (let round = 0; round < 300; round++) {
      const key = randomKey(next);
      const start = Math.floor(next() * (key.length - MIN_FRAGMENT_LENGTH));
      const end = start + MIN_FRAGMENT_LENGTH + Math.floor(next() * (key.length - start - MIN_FRAGMENT_LENGTH + 1));
      const fragment = key.slice(start, end);
      const encoding = ENCODINGS[Math.floor(next() * ENCODINGS.length)]!;
      const glue = ['', 'key=', '/v1/keys/', 'key-', '"', ' '][Math.floor(next() * 6)]!;
      const input = `HTTP 401 ${encoding.encode(`${glue}${fragment}`)}; retry`;
      const output = redact(input, [key, 'unrelated-secret']);
      const seed = `round ${round}: key ${key}, ${encoding.name}, ${JSON.stringify(input)} -> ${JSON.stringify(output)}`;
      assert.deepEqual(fragmentsIn(encoding.decode(output), key), [], seed);
      assert.ok(output.startsWith('HTTP 401') && output.endsWith('; retry'), seed);
    }
  });

  it('masks every occurrence and leaves other text alone', () => {
    assert.equal(redact(`${KEY} and ${KEY}, HTTP 401`, [KEY]), `${masked} and ${masked}, HTTP 401`);
  });

  it('masks short secrets whole, exactly, in raw and encoded forms', () => {
    assert.equal(redact('user alice:pw1 and pw1%21 vs PW1', ['pw1', 'pw1!']), 'user alice:**** and **** vs PW1');
  });

  it('shows only **** where the spans of two secrets meet', () => {
    const other = 'ZZZZyyyyXXXXwwwwVVVVuuuu';
    assert.equal(redact(`${HEX_KEY}${other}`, [HEX_KEY, other]), '****');
  });

  it('ignores empty secrets', () => {
    assert.equal(redact('nothing to hide', ['']), 'nothing to hide');
  });

  it('keeps non-ASCII text around a masked key intact', () => {
    assert.equal(redact(`clé «${HEX_KEY}» 🔑 refusée`, [HEX_KEY]), `clé «${maskSecret(HEX_KEY)}» 🔑 refusée`);
  });

  it('passes over hostile texts unchanged: escape starts without an end, one endless base64 run', () => {
    // Each pass over a form is linear (windows of a fixed size, escapes of a bounded length); these are the
    // inputs that would make a search for an escape's end, or for a base64 run's alignment, quadratic.
    for (const text of ['&#'.repeat(25_000), '%'.repeat(50_000), '\\u'.repeat(25_000), 'A'.repeat(50_000)]) {
      assert.equal(redact(text, [HEX_KEY]), text);
    }
  });
});

describe('createRedactor without secrets: credential-shaped values', () => {
  it('masks authorization headers, key-like query parameters and URL passwords', () => {
    const line = redactCredentials(
      'Authorization: Bearer abcdefghijklmnopqrstuvwx GET https://u:hunter2hunter2@proxy/x?api_key=abcdefghijklmnop0123&limit=1 X-API-KEY: 1234567890abcdef',
    );
    assert.ok(!/abcdefghijklmnopqrstuvwx|hunter2hunter2|abcdefghijklmnop0123|1234567890abcdef/.test(line), line);
    assert.match(line, /limit=1/);
  });

  it('shows no character of a value it cannot tell from a fragment of a key', () => {
    const fragment = HEX_KEY.slice(6, 26);
    const line = redactCredentials(`api_key=${fragment} Authorization: Bearer ${fragment}`);
    assert.equal(line, 'api_key=**** Authorization: Bearer ****');
  });

  it('combines with known secrets in createRedactor, keeping the key own tail', () => {
    assert.equal(createRedactor(['short-but-secret'])('got short-but-secret'), 'got ****et');
    assert.equal(createRedactor([HEX_KEY])(`api_key=${HEX_KEY.slice(0, 20)}`), `api_key=${maskSecret(HEX_KEY)}`);
  });
});
