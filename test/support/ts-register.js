/*
 * A tiny TypeScript require hook for child processes spawned by tests and for benchmarks:
 * `node -r ./test/support/ts-register.js file.ts`. It transpiles each .ts file on load with
 * the project's own TypeScript (no type check, like ts-jest's isolatedModules), so nothing
 * needs compiling first and no extra runner is installed.
 */
'use strict';
const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  sourceMap: false,
  inlineSourceMap: true,
};

require.extensions['.ts'] = function register(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
