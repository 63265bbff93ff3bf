/**
 * The part of the WebAssembly JavaScript API that src/core/scanner/byteSearch.ts uses. Node has
 * the API, but @types/node 20 does not declare it, and lib "DOM" would bring every browser global
 * into code that runs in Node.
 */
declare namespace WebAssembly {
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
