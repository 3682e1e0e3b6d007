// The consumer test: the packages as a user gets them. Builds and packs every publishable package,
// installs the tarballs into a temporary project outside the workspace (with the toolchains of the
// README's table, from the npm registry), then compiles and runs one realistic tool with each of them.
// Needs the npm registry; takes a few minutes (most of it the build and the install).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const fixture = path.join(__dirname, 'fixture');
const EXPECTED = { first: ['alpha', 'alphabet'], second: ['alpha', 'alphabet'], executions: 1, rejected: 'INPUT_VALIDATION' };
/** What `cpuMain` prints: the body ran on a worker thread, with the caller's context; validation stayed in front. */
const EXPECTED_OFF_THREAD = { offThread: true, digestLength: 64, userId: 'u1', rejected: 'INPUT_VALIDATION' };

/** The toolchains installed into the consumer project (versions a user gets today on Node 20). */
const TOOLCHAINS: Record<string, string> = {
  typescript: '~5.9.3',
  typescript7: 'npm:typescript@^7.0.2',
  tsx: '^4.23.15',
  esbuild: '^0.28.2',
  vitest: '^4.1.12',
  '@swc/core': '^1.16.22',
  '@swc/jest': '^0.2.39',
  jest: '^30.5.2',
  '@types/node': '^20.19.0',
};

interface PackageManifest {
  readonly name: string;
  readonly private?: boolean;
  readonly peerDependencies?: Record<string, string>;
}

let project = '';
/** Tarball path by package name. */
const tarballOf = new Map<string, string>();

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: error });
  }
}

function node(args: readonly string[], cwd = project): string {
  return run(process.execPath, args, cwd);
}

/** Declaration errors of third-party packages (not ours) met with skipLibCheck false, by package. */
const thirdPartyErrors = new Map<string, Set<string>>();

/**
 * Runs tsc; fails on any error in our sources or in an `@aiecs/*` declaration file. Errors inside another
 * package's own declarations (the AI SDK's or LangChain's under some settings) are theirs, not ours: they
 * are collected and printed once at the end, and the README's toolchain notes name them.
 */
function tsc(version: 'typescript' | 'typescript7', tsconfig: string): void {
  const args = [path.join(project, 'node_modules', version, 'bin', 'tsc'), '-p', tsconfig];
  let output: string;
  try {
    execFileSync(process.execPath, args, {
      cwd: project,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    return;
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? '') + String((error as { stderr?: string }).stderr ?? '');
  }
  const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
  const ours = errors.filter((line) => {
    const file = line.slice(0, line.indexOf('('));
    return !file.includes('node_modules/') || file.includes('node_modules/@aiecs/');
  });
  if (ours.length > 0 || errors.length === 0) throw new Error(`${version} -p ${tsconfig}:\n${ours.length > 0 ? ours.join('\n') : output}`);
  for (const line of errors) {
    const owner = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(line)![1]!;
    const codes = thirdPartyErrors.get(owner) ?? new Set<string>();
    codes.add(`${/error (TS\d+)/.exec(line)![1]} (${version}, ${path.basename(path.dirname(tsconfig))})`);
    thirdPartyErrors.set(owner, codes);
  }
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

/** The tool's last output line, parsed. */
function result(output: string): unknown {
  const lines = output.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

function publishablePackages(): Array<{ dir: string; manifest: PackageManifest }> {
  return fs
    .readdirSync(path.join(repo, 'packages'))
    .map((name) => path.join(repo, 'packages', name))
    .filter((dir) => fs.existsSync(path.join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageManifest }))
    .filter(({ manifest }) => !manifest.private);
}

/**
 * A project directory with its own package.json `type` and tsconfig, sharing the root's node_modules:
 * the realistic tool, its entry point, and `all.ts`, which imports every published package (so each
 * package's declarations are type-checked with skipLibCheck false, and loaded at run time).
 */
function subProject(name: string, type: 'commonjs' | 'module', compilerOptions: Record<string, unknown>, esmImports: boolean): string {
  const dir = path.join(project, name);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  for (const file of ['tool.ts', 'main.ts', 'cpuTool.ts', 'cpuMain.ts']) {
    const source = fs.readFileSync(path.join(fixture, 'src', file), 'utf8');
    fs.writeFileSync(path.join(dir, 'src', file), esmImports ? source.replace(/from '\.\/(tool|cpuTool)'/, "from './$1.js'") : source);
  }
  const names = publishablePackages().map((p) => p.manifest.name);
  fs.writeFileSync(
    path.join(dir, 'src', 'all.ts'),
    names.map((pkg, i) => `import * as p${i} from '${pkg}';\nexport const package${i} = p${i};\n`).join(''),
  );
  writeJson(path.join(dir, 'package.json'), { name: `consumer-${name}`, private: true, type });
  const base = { target: 'ES2022', strict: true, skipLibCheck: false, types: ['node'], rootDir: 'src', ...compilerOptions };
  writeJson(path.join(dir, 'tsconfig.json'), { compilerOptions: { ...base, outDir: 'out' }, include: ['src'] });
  writeJson(path.join(dir, 'tsconfig.ts7.json'), { extends: './tsconfig.json', compilerOptions: { outDir: 'out7' } });
  return dir;
}

/** Compiles a sub-project with `version` and runs the tool, the off-thread tool and the import of every package. */
function compileAndRun(dir: string, version: 'typescript' | 'typescript7'): void {
  tsc(version, path.join(dir, version === 'typescript' ? 'tsconfig.json' : 'tsconfig.ts7.json'));
  const out = path.join(dir, version === 'typescript' ? 'out' : 'out7');
  expect(result(node([path.join(out, 'main.js')]))).toEqual(EXPECTED);
  expect(result(node([path.join(out, 'cpuMain.js')]))).toEqual(EXPECTED_OFF_THREAD);
  node([path.join(out, 'all.js')]);
}

/** Runs the tool and the off-thread tool from their TypeScript sources with tsx. */
function runWithTsx(dir: string): void {
  const tsx = path.join(project, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  expect(result(node([tsx, 'src/main.ts'], dir))).toEqual(EXPECTED);
  expect(result(node([tsx, 'src/cpuMain.ts'], dir))).toEqual(EXPECTED_OFF_THREAD);
}

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'aiecs-consumer-'));
  const tarballs = path.join(project, 'tarballs');
  fs.mkdirSync(tarballs);
  const packages = publishablePackages();
  run(
    process.execPath,
    [path.join(repo, 'node_modules', 'turbo', 'bin', 'turbo'), 'run', 'build', ...packages.map((p) => `--filter=${p.manifest.name}`)],
    repo,
  );
  const dependencies: Record<string, string> = {};
  const peers: Record<string, string> = {};
  for (const { dir, manifest } of packages) {
    // --ignore-scripts: built just above, so `prepack` need not build each one again.
    const file = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', tarballs], dir).trim().split('\n').pop()!;
    dependencies[manifest.name] = `file:${path.join(tarballs, file)}`;
    tarballOf.set(manifest.name, path.join(tarballs, file));
    for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {}))
      if (!peer.startsWith('@aiecs/') && !(peer in TOOLCHAINS)) peers[peer] = range;
  }
  writeJson(path.join(project, 'package.json'), {
    name: 'aiecs-consumer',
    private: true,
    dependencies: { ...peers, ...dependencies },
    devDependencies: TOOLCHAINS,
    allowScripts: { esbuild: true, '@swc/core': true },
  });
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], project);
  for (const file of ['vitest.config.mts', 'swc-build.cjs', 'jest.config.cjs'])
    fs.copyFileSync(path.join(fixture, file), path.join(project, file));
  fs.cpSync(path.join(fixture, 'vitest'), path.join(project, 'vitest'), { recursive: true });
  fs.cpSync(path.join(fixture, 'jest'), path.join(project, 'jest'), { recursive: true });
  fs.cpSync(path.join(fixture, 'src'), path.join(project, 'src'), { recursive: true });
}, 15 * 60_000);

afterAll(() => {
  if (thirdPartyErrors.size > 0) {
    console.warn(
      `Third-party declaration errors (skipLibCheck false):\n${[...thirdPartyErrors].map(([pkg, codes]) => `  ${pkg}: ${[...codes].join(', ')}`).join('\n')}`,
    );
  }
  if (project && !process.env.AIECS_KEEP_CONSUMER) fs.rmSync(project, { recursive: true, force: true });
});

describe('a CommonJS project (module node16, skipLibCheck false)', () => {
  let dir = '';
  beforeAll(() => {
    dir = subProject('cjs', 'commonjs', { module: 'node16' }, false);
  });

  it.each(['typescript', 'typescript7'] as const)('compiles with %s (with every published package imported) and runs', (version) =>
    compileAndRun(dir, version),
  );

  it('TypeScript 5.9 with module commonjs (node10 resolution) type-checks too', () => {
    writeJson(path.join(dir, 'tsconfig.node10.json'), {
      extends: './tsconfig.json',
      compilerOptions: { module: 'commonjs', noEmit: true },
    });
    tsc('typescript', path.join(dir, 'tsconfig.node10.json'));
  });

  it('runs under tsx (the worker thread loads the tool from its TypeScript source)', () => runWithTsx(dir));
});

describe('an ES module project (module nodenext, skipLibCheck false)', () => {
  let dir = '';
  beforeAll(() => {
    dir = subProject('esm', 'module', { module: 'nodenext' }, true);
  });

  it.each(['typescript', 'typescript7'] as const)('compiles with %s (with every published package imported) and runs', (version) =>
    compileAndRun(dir, version),
  );

  it('runs under tsx (the worker thread loads the tool from its TypeScript source)', () => runWithTsx(dir));

  it('runs as an esbuild ES module bundle (--target=node20)', () => {
    const bundle = path.join(dir, 'bundle', 'main.mjs');
    run(
      path.join(project, 'node_modules', '.bin', 'esbuild'),
      ['src/main.ts', '--bundle', '--platform=node', '--format=esm', '--target=node20', `--outfile=${bundle}`, '--log-level=warning'],
      dir,
    );
    expect(result(node([bundle]))).toEqual(EXPECTED);
  });
});

describe('a bundler project (module preserve, moduleResolution bundler, skipLibCheck false)', () => {
  it.each(['typescript', 'typescript7'] as const)('type-checks with %s (with every published package imported)', (version) => {
    const dir = subProject(`bundler-${version}`, 'module', { module: 'preserve', moduleResolution: 'bundler', noEmit: true }, false);
    tsc(version, path.join(dir, 'tsconfig.json'));
  });
});

describe('the tarballs', () => {
  it('carry both builds, their declarations, the sources the maps point at, README and LICENSE, and no tests', () => {
    expect(tarballOf.size).toBeGreaterThanOrEqual(3);
    for (const [name, tarball] of tarballOf) {
      const files = run('tar', ['-tzf', tarball], project)
        .trim()
        .split('\n')
        .map((f) => f.replace(/^package\//, ''));
      for (const required of [
        'package.json',
        'README.md',
        'LICENSE',
        'dist/cjs/index.js',
        'dist/cjs/index.d.ts',
        'dist/cjs/index.d.ts.map',
        'dist/esm/index.mjs',
        'dist/esm/index.mjs.map',
        'dist/esm/index.d.mts',
        'src/index.ts',
      ]) {
        expect({ name, has: required, found: files.includes(required) }).toEqual({ name, has: required, found: true });
      }
      expect({ name, tests: files.filter((f) => /\.test\.ts$|testkit/.test(f)) }).toEqual({ name, tests: [] });
    }
  });

  it('have the manifest fields a registry and a resolver need', () => {
    for (const name of tarballOf.keys()) {
      const manifest = JSON.parse(
        fs.readFileSync(path.join(project, 'node_modules', ...name.split('/'), 'package.json'), 'utf8'),
      ) as Record<string, any>;
      expect({ name, manifest }).toMatchObject({
        name,
        manifest: {
          license: 'MIT',
          type: 'commonjs',
          engines: { node: expect.stringMatching(/^>=20/) },
          repository: { url: expect.stringContaining('github.com'), directory: expect.stringMatching(/^packages\//) },
          scripts: { prepack: expect.stringContaining('build') },
          exports: {
            '.': {
              import: { types: './dist/esm/index.d.mts', default: './dist/esm/index.mjs' },
              require: { types: './dist/cjs/index.d.ts', default: './dist/cjs/index.js' },
            },
            './package.json': './package.json',
          },
        },
      });
    }
  });
});

describe('this repository', () => {
  // ts-jest (the repository's tests) does not accept TypeScript 7, so `npm test` type-checks with 5.9; the
  // sources and the package builds are checked with 7 here.
  it('type-checks with TypeScript 7 (sources, tests, examples, bench)', () => {
    node([path.join(project, 'node_modules', 'typescript7', 'bin', 'tsc'), '-p', path.join(repo, 'tsconfig.json'), '--noEmit'], repo);
  });

  it.each(['core', 'validation', 'executor'])('@aiecs/%s builds with TypeScript 7 (tsconfig.build.json)', (name) => {
    node(
      [
        path.join(project, 'node_modules', 'typescript7', 'bin', 'tsc'),
        '-p',
        path.join(repo, 'packages', name, 'tsconfig.build.json'),
        '--noEmit',
      ],
      repo,
    );
  });
});

describe('other toolchains', () => {
  it('Vitest 4 runs a test of the tool (with the config of the README that lowers decorators)', () => {
    const output = node([
      path.join(project, 'node_modules', 'vitest', 'vitest.mjs'),
      'run',
      'vitest',
      '--reporter=json',
      '--outputFile=vitest-result.json',
    ]);
    expect(output).toBeDefined();
    const report = JSON.parse(fs.readFileSync(path.join(project, 'vitest-result.json'), 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
    };
    expect(report).toMatchObject({ numPassedTests: 1, numFailedTests: 0 });
  });

  it('Jest 30 with @swc/jest (decoratorVersion 2022-03) runs a test of the tool', () => {
    node([
      path.join(project, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--config',
      'jest.config.cjs',
      '--json',
      '--outputFile=jest-result.json',
    ]);
    const report = JSON.parse(fs.readFileSync(path.join(project, 'jest-result.json'), 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
    };
    expect(report).toMatchObject({ numPassedTests: 1, numFailedTests: 0 });
  });

  it('swc (decoratorVersion 2022-03) compiles the tool, and it runs', () => {
    node(['swc-build.cjs']);
    expect(result(node(['out-swc/main.js']))).toEqual(EXPECTED);
  });

  it('code compiled for legacy decorators fails at the first decorator with an error that says what to change', () => {
    const dir = path.join(project, 'legacy');
    fs.mkdirSync(dir, { recursive: true });
    writeJson(path.join(dir, 'tsconfig.json'), { compilerOptions: { target: 'ES2022', module: 'node16', experimentalDecorators: true } });
    fs.copyFileSync(path.join(fixture, 'src', 'legacy.ts'), path.join(dir, 'legacy.ts'));
    // tsx (esbuild) honours experimentalDecorators from tsconfig.json and emits legacy decorator calls.
    expect(() => node([path.join(project, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'legacy.ts'], dir)).toThrow(
      /experimentalDecorators[\s\S]*@Retry was called as a legacy decorator[\s\S]*remove "experimentalDecorators"/,
    );
  });
});
