/*
 * A tiny TypeScript require hook for child processes spawned by tests and for benchmarks:
 * `node -r ./test/support/ts-register.js file.ts`. It transpiles each .ts file on load with
 * the project's own TypeScript (no type check, like ts-jest's isolatedModules), so nothing
 * needs compiling first and no extra runner is installed. Output is cached on disk by content
 * hash, so that processes started again and again (restart tests) start fast.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const CACHE_DIR = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'ts-register');
let ts;

const compilerOptions = {
  module: 1, // CommonJS
  target: 9, // ES2022
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  sourceMap: false,
  inlineSourceMap: true,
};

function transpile(source, filename) {
  const hash = crypto
    .createHash('sha256')
    .update(filename)
    .update('\0')
    .update(source)
    .digest('hex');
  const cached = path.join(CACHE_DIR, `${hash}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // not cached yet
  }
  ts = ts || require('typescript');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, outputText);
    fs.renameSync(temporary, cached);
  } catch {
    // a read-only tree still works, only slower
  }
  return outputText;
}

require.extensions['.ts'] = function register(module, filename) {
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
