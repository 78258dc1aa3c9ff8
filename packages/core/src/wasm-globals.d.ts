// Core compiles without the DOM library (it runs in Deno, browsers and workers alike); these are
// the few members of two standard globals it uses (WebAssembly, atob), which every one of those
// runtimes provides. Deno and the web package's type checks use their own complete definitions.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, unknown>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
}
declare function atob(data: string): string;
