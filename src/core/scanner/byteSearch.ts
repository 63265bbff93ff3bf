/**
 * The prefilter's loop over file bytes as a small WebAssembly function. V8 compiles WebAssembly to
 * machine code before the first call, so a scan runs at full speed from its first byte; the same
 * loop in JavaScript runs interpreted until it gets hot, which for a command-line scan of a tree is
 * a large part of the whole run. Each step and hit is exactly `KeywordAutomaton.searchText`'s.
 */

/** Memory layout: the final state, the byte classes, a chunk's hits, then the transitions and the text. */
const STATE_AT = 0;
const CLASSES_AT = 16;
/** Bytes searched per call, so the hit area (every byte can end a keyword) has a fixed size. */
export const CHUNK_BYTES = 64 * 1024;
const HITS_AT = CLASSES_AT + 256;
const TRANSITIONS_AT = HITS_AT + CHUNK_BYTES * 8;
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
  I32GeU = 0x4f,
  I32Add = 0x6a,
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

/**
 * `search(from, to, state, firstHit) -> hits`: steps through the bytes at [from, to), writing each
 * hit (address, state) to the hit area, and the state it ends in at STATE_AT.
 */
function searchModule(): Uint8Array {
  const [from, to, state, firstHit, count] = [0, 1, 2, 3, 4];
  const body = [
    1, 1, I32, // one more local: the hit count
    Op.Block, VOID,
    Op.Loop, VOID,
    Op.LocalGet, from, Op.LocalGet, to, Op.I32GeU, Op.BrIf, 1,
    // state = transitions[state + classes[byte]]
    Op.LocalGet, state,
    Op.LocalGet, from, ...access(Op.I32Load8U, 0, 0), ...access(Op.I32Load8U, 0, CLASSES_AT),
    Op.I32Add, Op.I32Const, 2, Op.I32Shl, ...access(Op.I32Load, 2, TRANSITIONS_AT),
    Op.LocalTee, state,
    Op.LocalGet, firstHit, Op.I32GeU,
    Op.If, VOID,
    Op.LocalGet, count, Op.I32Const, 3, Op.I32Shl, Op.LocalGet, from, ...access(Op.I32Store, 2, HITS_AT),
    Op.LocalGet, count, Op.I32Const, 3, Op.I32Shl, Op.LocalGet, state, ...access(Op.I32Store, 2, HITS_AT + 4),
    Op.LocalGet, count, Op.I32Const, 1, Op.I32Add, Op.LocalSet, count,
    Op.End,
    Op.LocalGet, from, Op.I32Const, 1, Op.I32Add, Op.LocalSet, from,
    Op.Br, 0,
    Op.End,
    Op.End,
    Op.I32Const, STATE_AT, Op.LocalGet, state, ...access(Op.I32Store, 2, 0),
    Op.LocalGet, count,
    Op.End,
  ];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 4, I32, I32, I32, I32, 1, I32]),
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
  private readonly search: (from: number, to: number, state: number, firstHit: number) => number;
  private readonly textAt: number;
  private hits: Int32Array;
  private state: Int32Array;

  /** `transitions` as `KeywordAutomaton` holds them (states times the class count). */
  constructor(transitions: Int32Array, classOf: Uint8Array) {
    this.textAt = TRANSITIONS_AT + transitions.byteLength;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((this.textAt + CHUNK_BYTES) / PAGE) });
    compiled ??= new WebAssembly.Module(searchModule());
    const instance = new WebAssembly.Instance(compiled, { env: { memory: this.memory } });
    this.search = instance.exports['search'] as typeof this.search;
    new Uint8Array(this.memory.buffer).set(classOf, CLASSES_AT);
    new Int32Array(this.memory.buffer, TRANSITIONS_AT, transitions.length).set(transitions);
    this.hits = new Int32Array(this.memory.buffer, HITS_AT, CHUNK_BYTES * 2);
    this.state = new Int32Array(this.memory.buffer, STATE_AT, 1);
  }

  /**
   * Steps the automaton from state 0 over `bytes`; `onHit(index, state)` for each state at or
   * beyond `firstHit`, in order, with states as the transitions hold them.
   */
  run(bytes: Uint8Array, firstHit: number, onHit: (index: number, state: number) => void): void {
    const needed = this.textAt + bytes.length;
    if (needed > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((needed - this.memory.buffer.byteLength) / PAGE));
      // Growing detaches the old buffer and every view of it.
      this.hits = new Int32Array(this.memory.buffer, HITS_AT, CHUNK_BYTES * 2);
      this.state = new Int32Array(this.memory.buffer, STATE_AT, 1);
    }
    new Uint8Array(this.memory.buffer, this.textAt, bytes.length).set(bytes);
    let state = 0;
    for (let from = 0; from < bytes.length; from += CHUNK_BYTES) {
      const count = this.search(this.textAt + from, this.textAt + Math.min(bytes.length, from + CHUNK_BYTES), state, firstHit);
      state = this.state[0] as number;
      for (let hit = 0; hit < count; hit++) onHit((this.hits[hit * 2] as number) - this.textAt, this.hits[hit * 2 + 1] as number);
    }
  }
}
