// Real redis-server processes for the tests: the one CI starts (AIECS_REDIS_URL), or one of our own.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The redis-server binary: REDIS_SERVER_BIN, else the one on PATH (the Debian package installs /usr/bin/redis-server). */
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';

/** True when `redis-server` can be started here. */
export function redisServerInstalled(): boolean {
  if (existsSync(REDIS_SERVER_BIN)) return true;
  return spawnSync(REDIS_SERVER_BIN, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A free TCP port on 127.0.0.1 (asked of the OS; released just before redis-server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves when something accepts TCP connections on `port` and answers PING, within `ms`. */
async function waitForPong(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.setTimeout(200);
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
      socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`redis-server on port ${port} did not answer within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A redis-server child process on a port of its own (no persistence, loopback only). */
export class RedisServerProcess {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'aiecs-redis-'));

  private constructor(readonly port: number) {}

  /** Starts a server on a free port (or `port`) and waits until it answers. */
  static async start(port?: number): Promise<RedisServerProcess> {
    const server = new RedisServerProcess(port ?? (await freePort()));
    await server.restart();
    return server;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.child !== undefined;
  }

  /** (Re)starts the server on the same port. */
  async restart(): Promise<void> {
    if (this.child !== undefined) return;
    const child = spawn(
      REDIS_SERVER_BIN,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--loglevel', 'warning'],
      {
        stdio: 'ignore',
      },
    );
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    await waitForPong(this.port, 5_000);
  }

  /** Stops the server (SIGKILL: an outage, not a shutdown) and waits for the process to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL'); // ends a paused server too
    });
  }

  /**
   * Freezes the server (SIGSTOP): its connections stay open and the kernel still accepts new ones, but
   * nothing is answered. A hung server, which a killed one is not.
   */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Lets a paused server go on (SIGCONT). */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Stops the server and removes its directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Where the shared tests find Redis: CI's server, or one started for this test file (stopped by `release`). */
export interface RedisForTests {
  readonly url: string;
  /** A prefix no other test uses (so tests sharing CI's server never see each other's keys). */
  prefix(): string;
  release(): Promise<void>;
}

/** CI's server when AIECS_REDIS_URL is set, else a redis-server of our own. */
export async function redisForTests(): Promise<RedisForTests> {
  const prefix = (): string => `aiecs-test:${randomUUID()}:`;
  const external = process.env.AIECS_REDIS_URL;
  if (external) return { url: external, prefix, release: async () => undefined };
  const server = await RedisServerProcess.start();
  return { url: server.url, prefix, release: () => server.dispose() };
}

/**
 * `describe` when a Redis can be reached (AIECS_REDIS_URL, or a redis-server binary to start), else a
 * skipped `describe` with a loud message; with CI=true a missing Redis fails instead of skipping.
 */
export function describeWithRedis(name: string, body: () => void): void {
  const available = Boolean(process.env.AIECS_REDIS_URL) || redisServerInstalled();
  if (available) return describe(name, body);
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs a Redis server', () => {
        throw new Error('CI=true but no Redis: set AIECS_REDIS_URL or install redis-server (the Debian package)');
      });
    });
    return;
  }
  console.warn(`\n*** SKIPPED "${name}": no Redis server (set AIECS_REDIS_URL or install redis-server) ***\n`);
  describe.skip(name, body);
}
