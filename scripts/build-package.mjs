#!/usr/bin/env node
// Builds the package in the current directory into a dual CommonJS + ES module package:
//   dist/cjs/   tsc, module node16: one .js per source file, .d.ts + declaration maps, source maps
//   dist/esm/   the same tsc lowering emitted as ES modules, bundled into one index.mjs by esbuild
//               (Node's ESM loader needs file extensions the sources do not write; bundling the
//               already-lowered JavaScript keeps one decorator transform, tsc's, for both formats)
//   dist/esm/index.d.mts re-exports the CommonJS declarations, so `import` and `require` see one set
//               of types. Dependencies stay external: `@aiecs/*` packages resolve to their own builds.
// Why not tsup/tsdown: their maintained lines need Node 22; this is two tsc passes and one esbuild call.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const esbuild = require('esbuild');

const cwd = process.cwd();
// `--entry <name>` (repeatable): another module of src/ that is loaded by path rather than imported
// (a worker thread's entry file), bundled to dist/esm/<name>.mjs next to index.mjs.
const extraEntries = process.argv.flatMap((arg, i, all) => (arg === '--entry' && all[i + 1] ? [all[i + 1]] : []));
const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
const dist = join(cwd, 'dist');

function runTsc(...args) {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', ...args], { cwd, stdio: 'inherit' });
}

rmSync(dist, { recursive: true, force: true });
runTsc('--outDir', 'dist/cjs');
writeFileSync(join(dist, 'cjs', 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');

const esmStaging = mkdtempSync(join(tmpdir(), `aiecs-esm-${pkg.name.replace(/\W/g, '_')}-`));
try {
  runTsc(
    '--outDir',
    esmStaging,
    '--noCheck',
    '--module',
    'esnext',
    '--moduleResolution',
    'bundler',
    '--declaration',
    'false',
    '--declarationMap',
    'false',
  );
  await esbuild.build({
    entryPoints: ['index', ...extraEntries].map((name) => join(esmStaging, `${name}.js`)),
    outdir: join(dist, 'esm'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    sourcesContent: true,
    logLevel: 'warning',
    // `require`, `__filename` and `__dirname` for the few places that need them in both formats (lazy
    // loads of optional peers, a worker's entry file next to this one); without the `require`, esbuild's
    // shim throws "Dynamic require of … is not supported".
    banner: {
      js: [
        "import { createRequire as __aiecsCreateRequire } from 'node:module';",
        "import { fileURLToPath as __aiecsFileURLToPath } from 'node:url';",
        "import { dirname as __aiecsDirname } from 'node:path';",
        'const require = __aiecsCreateRequire(import.meta.url);',
        'const __filename = __aiecsFileURLToPath(import.meta.url);',
        'const __dirname = __aiecsDirname(__filename);',
      ].join('\n'),
    },
  });
} finally {
  rmSync(esmStaging, { recursive: true, force: true });
}
writeFileSync(join(dist, 'esm', 'index.d.mts'), "export * from '../cjs/index.js';\n");
