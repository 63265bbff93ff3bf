/**
 * The prefilter's loop over file bytes as a small WebAssembly function. V8 compiles WebAssembly to
 * machine code before the first call, so a scan runs at full speed from its first byte; the same
 * loop in JavaScript runs interpreted until it gets hot, which for a command-line scan of a tree is
 * a large part of the whole run. Compiling it costs about 3 ms, so an automaton searches its first
 * bytes in JavaScript (`INTERPRETED_BYTES` in prefilter.ts). Each step and hit is exactly
 * `KeywordAutomaton.searchText`'s.
 */

/**
 * Memory layout: the lanes' end states and hit counts, the byte classes, a run of zero bytes, each
 * lane's hits for one call, then the transitions and the text.
 */
const HEADER_AT = 0;
const CLASSES_AT = 16;
/** Bytes each lane steps per call, so the hit areas (every byte can end a keyword) have a fixed size. */
export const CHUNK_BYTES = 64 * 1024;
/** A lane with nothing left steps over zero bytes, which leave the start state without a hit. */
const ZEROS_AT = CLASSES_AT + 256;
const FIRST_HITS_AT = ZEROS_AT + CHUNK_BYTES;
const SECOND_HITS_AT = FIRST_HITS_AT + CHUNK_BYTES * 8;
const TRANSITIONS_AT = SECOND_HITS_AT + CHUNK_BYTES * 8;
const PAGE = 64 * 1024;

/** WebAssembly opcodes used by the search function. */
const enum Op {
  Block = 0x02,
  Loop = 0x03,
  If = 0x04,
  End = 0x0b,
  Br = 0x0c,
  BrIf = 0x0d,
  LocalGet = 0x20,
  LocalSet = 0x21,
  LocalTee = 0x22,
  I32Load = 0x28,
  I32Load8U = 0x2d,
  I32Store = 0x36,
  I32Const = 0x41,
  I32Eqz = 0x45,
  I32GeU = 0x4f,
  I32Add = 0x6a,
  I32Sub = 0x6b,
  I32Shl = 0x74,
}
const VOID = 0x40;
const I32 = 0x7f;

function leb128(value: number): number[] {
  const bytes: number[] = [];
  do {
    const low = value & 0x7f;
    value >>>= 7;
    bytes.push(value === 0 ? low : low | 0x80);
  } while (value !== 0);
  return bytes;
}

/** A memory access with its alignment (log2) and constant offset. */
function access(op: Op, align: number, offset: number): number[] {
  return [op, align, ...leb128(offset)];
}

function section(id: number, contents: number[]): number[] {
  return [id, ...leb128(contents.length), ...contents];
}

function name(text: string): number[] {
  return [text.length, ...Array.from(text, (char) => char.charCodeAt(0))];
}

/** One lane's step: `state = transitions[state + classes[byte at position]]`, and its hit recorded. */
function step(position: number, state: number, firstHit: number, count: number, hitsAt: number): number[] {
  return [
    Op.LocalGet,
    state,
    Op.LocalGet,
    position,
    ...access(Op.I32Load8U, 0, 0),
    ...access(Op.I32Load8U, 0, CLASSES_AT),
    Op.I32Add,
    Op.I32Const,
    2,
    Op.I32Shl,
    ...access(Op.I32Load, 2, TRANSITIONS_AT),
    Op.LocalTee,
    state,
    Op.LocalGet,
    firstHit,
    Op.I32GeU,
    Op.If,
    VOID,
    Op.LocalGet,
    count,
    Op.I32Const,
    3,
    Op.I32Shl,
    Op.LocalGet,
    position,
    ...access(Op.I32Store, 2, hitsAt),
    Op.LocalGet,
    count,
    Op.I32Const,
    3,
    Op.I32Shl,
    Op.LocalGet,
    state,
    ...access(Op.I32Store, 2, hitsAt + 4),
    Op.LocalGet,
    count,
    Op.I32Const,
    1,
    Op.I32Add,
    Op.LocalSet,
    count,
    Op.End,
    Op.LocalGet,
    position,
    Op.I32Const,
    1,
    Op.I32Add,
    Op.LocalSet,
    position,
  ];
}

/**
 * `search(first, firstState, second, secondState, length, firstHit)`: steps two lanes of `length`
 * bytes, at `first` and `second`, in one loop. Each step waits on the state its lane's last step
 * loaded; two lanes interleave two such chains, so the processor runs them side by side. Writes
 * each lane's hits (address, state) to its hit area, and the end states and hit counts to the header.
 */
function searchModule(): Uint8Array {
  const [first, firstState, second, secondState, length, firstHit, firstCount, secondCount] = [0, 1, 2, 3, 4, 5, 6, 7];
  const store = (at: number, local: number): number[] => [Op.I32Const, 0, Op.LocalGet, local, ...access(Op.I32Store, 2, HEADER_AT + at)];
  const body = [
    1,
    2,
    I32, // two more locals: the lanes' hit counts
    Op.Block,
    VOID,
    Op.Loop,
    VOID,
    Op.LocalGet,
    length,
    Op.I32Eqz,
    Op.BrIf,
    1,
    ...step(first, firstState, firstHit, firstCount, FIRST_HITS_AT),
    ...step(second, secondState, firstHit, secondCount, SECOND_HITS_AT),
    Op.LocalGet,
    length,
    Op.I32Const,
    1,
    Op.I32Sub,
    Op.LocalSet,
    length,
    Op.Br,
    0,
    Op.End,
    Op.End,
    ...store(0, firstState),
    ...store(4, secondState),
    ...store(8, firstCount),
    ...store(12, secondCount),
    Op.End,
  ];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('search'), 0x00, 0]),
    ...section(10, [1, ...leb128(body.length), ...body]),
  ]);
}

let compiled: WebAssembly.Module | undefined;

/** One automaton's tables in WebAssembly memory, and the search over bytes copied in after them. */
export class ByteSearch {
  private readonly memory: WebAssembly.Memory;
  private readonly search: (first: number, firstState: number, second: number, secondState: number, length: number, firstHit: number) => void;
  private readonly textAt: number;
  /** Whether a line feed always leads to the start state (no keyword holds one), so a text can be split at a line. */
  private readonly splitsAtLines: boolean;
  private view: Int32Array;

  /** `transitions` as `KeywordAutomaton` holds them (states times the class count). */
  constructor(transitions: Int32Array, classOf: Uint8Array) {
    this.textAt = TRANSITIONS_AT + transitions.byteLength;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((this.textAt + CHUNK_BYTES) / PAGE) });
    compiled ??= new WebAssembly.Module(searchModule());
    const instance = new WebAssembly.Instance(compiled, { env: { memory: this.memory } });
    this.search = instance.exports['search'] as typeof this.search;
    new Uint8Array(this.memory.buffer).set(classOf, CLASSES_AT);
    new Int32Array(this.memory.buffer, TRANSITIONS_AT, transitions.length).set(transitions);
    this.view = new Int32Array(this.memory.buffer);
    this.splitsAtLines = classOf[10] === 0;
  }

  /**
   * Steps the automaton from the start state over `bytes`; `onHit(index, state)` for each state at
   * or beyond `firstHit`, in order, with states as the transitions hold them. The first lane takes
   * the text up to a line near its middle, the second the rest: both start in the start state.
   */
  run(bytes: Uint8Array, firstHit: number, onHit: (index: number, state: number) => void): void {
    const needed = this.textAt + bytes.length;
    if (needed > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((needed - this.memory.buffer.byteLength) / PAGE));
      // Growing detaches the old buffer and every view of it.
      this.view = new Int32Array(this.memory.buffer);
    }
    new Uint8Array(this.memory.buffer, this.textAt, bytes.length).set(bytes);
    const lineAfterMiddle = this.splitsAtLines ? bytes.indexOf(10, bytes.length >> 1) : -1;
    const split = lineAfterMiddle === -1 ? bytes.length : lineAfterMiddle + 1;
    const secondHits: number[] = [];
    let first = 0;
    let second = split;
    let firstState = 0;
    let secondState = 0;
    while (first < split || second < bytes.length) {
      const firstLeft = split - first;
      const secondLeft = bytes.length - second;
      const length = Math.min(CHUNK_BYTES, firstLeft > 0 && secondLeft > 0 ? Math.min(firstLeft, secondLeft) : Math.max(firstLeft, secondLeft));
      this.search(firstLeft > 0 ? this.textAt + first : ZEROS_AT, firstState, secondLeft > 0 ? this.textAt + second : ZEROS_AT, secondState, length, firstHit);
      const view = this.view;
      if (firstLeft > 0) {
        firstState = view[HEADER_AT / 4] as number;
        for (let hit = 0; hit < (view[HEADER_AT / 4 + 2] as number); hit++) {
          onHit((view[FIRST_HITS_AT / 4 + hit * 2] as number) - this.textAt, view[FIRST_HITS_AT / 4 + hit * 2 + 1] as number);
        }
        first += length;
      }
      if (secondLeft > 0) {
        secondState = view[HEADER_AT / 4 + 1] as number;
        for (let hit = 0; hit < (view[HEADER_AT / 4 + 3] as number); hit++) {
          secondHits.push((view[SECOND_HITS_AT / 4 + hit * 2] as number) - this.textAt, view[SECOND_HITS_AT / 4 + hit * 2 + 1] as number);
        }
        second += length;
      }
    }
    for (let i = 0; i < secondHits.length; i += 2) onHit(secondHits[i] as number, secondHits[i + 1] as number);
  }
}
