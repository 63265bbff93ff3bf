/**
 * Random keys of a given format, for measuring how often the value filters refuse a real key: from
 * a rule's own pattern (its `secret` group: the subset of regular expression syntax the rules use),
 * or from the common shapes that name-based rules accept. Seeded, so the figures repeat.
 */

export type Random = () => number;

/** sfc32 seeded from a number: fast, and good enough to draw characters uniformly. */
export function seededRandom(seed: number): Random {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

const HEX = '0123456789abcdef';
const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const ALNUM = DIGITS + LOWER + UPPER;
const BASE64 = ALNUM + '+/';

function draw(random: Random, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)] ?? '';
  return out;
}

function uuid(random: Random): string {
  const hex = draw(random, HEX, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Base64 of `bytes` random bytes, padded as encoders write it. */
function base64Of(random: Random, bytes: number, url: boolean): string {
  const raw = Buffer.from(Array.from({ length: bytes }, () => Math.floor(random() * 256)));
  return url ? raw.toString('base64url') : raw.toString('base64');
}

/** Shapes that keys issued by APIs take when no vendor prefix says what they are: what a name-based rule must accept. */
export const KEY_SHAPES: readonly { readonly name: string; readonly make: (random: Random) => string; readonly id?: true }[] = [
  { name: 'hex 32', make: (random) => draw(random, HEX, 32) },
  { name: 'hex 40', make: (random) => draw(random, HEX, 40) },
  { name: 'hex 64', make: (random) => draw(random, HEX, 64) },
  { name: 'HEX 32', make: (random) => draw(random, HEX.toUpperCase(), 32) },
  { name: 'alphanumeric 20', make: (random) => draw(random, ALNUM, 20) },
  { name: 'alphanumeric 32', make: (random) => draw(random, ALNUM, 32) },
  { name: 'alphanumeric 40', make: (random) => draw(random, ALNUM, 40) },
  { name: 'lowercase+digits 24', make: (random) => draw(random, LOWER + DIGITS, 24) },
  { name: 'base64 of 32 bytes', make: (random) => base64Of(random, 32, false) },
  { name: 'base64 of 48 bytes', make: (random) => base64Of(random, 48, false) },
  { name: 'base64url of 32 bytes', make: (random) => base64Of(random, 32, true) },
  { name: 'AWS secret (40 base64)', make: (random) => draw(random, BASE64, 40) },
  { name: 'password 12', make: (random) => draw(random, ALNUM + '!#$%&*+-.=?@^_~', 12) },
  { name: 'UUID v4', make: uuid, id: true },
];

// ------------------------------------------------------------ patterns ----

type Node =
  | { readonly type: 'chars'; readonly alphabet: string }
  | { readonly type: 'sequence'; readonly items: readonly Node[] }
  | { readonly type: 'alternatives'; readonly options: readonly Node[] }
  | { readonly type: 'repeat'; readonly item: Node; readonly min: number; readonly max: number }
  | { readonly type: 'group'; readonly name: string | undefined; readonly item: Node };

/** Printable ASCII: what a negated class draws from. */
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
const CLASS_ESCAPES: Record<string, string> = { d: DIGITS, w: ALNUM + '_', s: ' ', D: LOWER + UPPER, W: '-.', S: ALNUM };
/** How far past its minimum an open-ended or wide repetition draws: keys are rarely far longer than their format's minimum. */
const EXTRA_LENGTH = 64;
/** `*`, `+` and `?` in the rules repeat padding and separators (`={0,2}`, `=*`), not the body. */
const EXTRA_SHORT = 2;

/** Parses the subset of regular expression syntax the rules use; lookarounds, anchors and `\b` match no characters and are dropped. */
class PatternParser {
  private at = 0;

  constructor(
    private readonly source: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Node {
    const node = this.alternatives();
    if (this.at !== this.source.length) throw new Error(`unexpected '${this.source[this.at]}' at ${this.at} in /${this.source}/`);
    return node;
  }

  private alternatives(): Node {
    const options = [this.sequence()];
    while (this.source[this.at] === '|') {
      this.at++;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as Node) : { type: 'alternatives', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.at < this.source.length && this.source[this.at] !== '|' && this.source[this.at] !== ')') {
      const atom = this.atom();
      if (atom !== undefined) items.push(this.quantified(atom));
      else this.quantified({ type: 'sequence', items: [] });
    }
    return { type: 'sequence', items };
  }

  private atom(): Node | undefined {
    const char = this.source[this.at++] as string;
    if (char === '(') {
      let name: string | undefined;
      let dropped = false;
      if (this.source.startsWith('?:', this.at)) this.at += 2;
      else if (/^\?<?[=!]/.test(this.source.slice(this.at, this.at + 3))) {
        this.at += this.source[this.at + 1] === '<' ? 3 : 2;
        dropped = true;
      } else if (this.source.startsWith('?<', this.at)) {
        const close = this.source.indexOf('>', this.at);
        name = this.source.slice(this.at + 2, close);
        this.at = close + 1;
      }
      const item = this.alternatives();
      this.at++;
      return dropped ? undefined : { type: 'group', name, item };
    }
    if (char === '[') return this.characterClass();
    if (char === '^' || char === '$') return undefined;
    if (char === '.') return { type: 'chars', alphabet: ALNUM };
    if (char === '\\') {
      const escaped = this.source[this.at++] as string;
      if (escaped === 'b' || escaped === 'B') return undefined;
      return { type: 'chars', alphabet: CLASS_ESCAPES[escaped] ?? escaped };
    }
    return { type: 'chars', alphabet: this.cased(char) };
  }

  private cased(chars: string): string {
    return this.ignoreCase ? [...new Set(chars.toLowerCase() + chars.toUpperCase())].join('') : chars;
  }

  private characterClass(): Node {
    const negated = this.source[this.at] === '^';
    if (negated) this.at++;
    let chars = '';
    while (this.source[this.at] !== ']') {
      let char = this.source[this.at++] as string;
      if (char === '\\') {
        const escaped = this.source[this.at++] as string;
        if (CLASS_ESCAPES[escaped] !== undefined) {
          chars += CLASS_ESCAPES[escaped];
          continue;
        }
        char = escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
      }
      if (this.source[this.at] === '-' && this.source[this.at + 1] !== ']') {
        let last = this.source[this.at + 1] as string;
        this.at += 2;
        if (last === '\\') last = this.source[this.at++] as string;
        for (let code = char.charCodeAt(0); code <= last.charCodeAt(0); code++) chars += String.fromCharCode(code);
      } else {
        chars += char;
      }
    }
    this.at++;
    const set = new Set(this.cased(chars));
    return { type: 'chars', alphabet: negated ? [...PRINTABLE].filter((char) => !set.has(char) && char !== ' ').join('') : [...set].join('') };
  }

  private quantified(item: Node): Node {
    const char = this.source[this.at];
    let min: number;
    let max: number;
    if (char === '?' || char === '*' || char === '+') {
      this.at++;
      min = char === '+' ? 1 : 0;
      max = char === '?' ? 1 : min + EXTRA_SHORT;
    } else if (char === '{') {
      const close = this.source.indexOf('}', this.at);
      const [low, high] = this.source.slice(this.at + 1, close).split(',');
      this.at = close + 1;
      min = Number(low);
      max = high === undefined ? min : high === '' ? min + EXTRA_LENGTH : Number(high);
    } else {
      return item;
    }
    if (this.source[this.at] === '?') this.at++;
    return { type: 'repeat', item, min, max: Math.min(max, min + EXTRA_LENGTH) };
  }
}

function findGroup(node: Node, name: string): Node | undefined {
  switch (node.type) {
    case 'chars':
      return undefined;
    case 'group':
      return node.name === name ? node : findGroup(node.item, name);
    case 'repeat':
      return findGroup(node.item, name);
    case 'sequence':
      return node.items.map((item) => findGroup(item, name)).find((found) => found !== undefined);
    case 'alternatives':
      return node.options.map((option) => findGroup(option, name)).find((found) => found !== undefined);
  }
}

function generate(node: Node, random: Random): string {
  switch (node.type) {
    case 'chars':
      return draw(random, node.alphabet, 1);
    case 'group':
      return generate(node.item, random);
    case 'sequence':
      return node.items.map((item) => generate(item, random)).join('');
    case 'alternatives':
      return generate(node.options[Math.floor(random() * node.options.length)] as Node, random);
    case 'repeat': {
      const count = node.min + Math.floor(random() * (node.max - node.min + 1));
      let out = '';
      for (let i = 0; i < count; i++) out += generate(node.item, random);
      return out;
    }
  }
}

/** A generator of random values that the pattern's `secret` group matches. */
export function secretsOf(pattern: RegExp): (random: Random) => string {
  const tree = new PatternParser(pattern.source, pattern.flags.includes('i')).parse();
  const secret = findGroup(tree, 'secret') ?? tree;
  return (random) => generate(secret, random);
}
