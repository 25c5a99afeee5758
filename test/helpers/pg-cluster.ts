/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temp dir, pg_ctl start on a free
 * loopback port with its socket in that dir, trust auth on 127.0.0.1 — nothing outside the temp
 * dir is touched, and stop() removes it. The server binaries come from Debian's layout
 * (/usr/lib/postgresql/<n>/bin, not on PATH; the newest version wins). initdb refuses to run as
 * root, so when the tests run as root every command runs as the unprivileged `postgres` user
 * (runuser) over a temp dir it owns. A machine without PostgreSQL fails loudly: a test of the
 * PostgreSQL adapter never skips.
 *
 * Usage: one cluster per test file (`const pg = await startPgCluster()` in beforeAll, `pg.stop()`
 * in afterAll), `await pg.createDatabase()` for a fresh database per test (or one cluster for a
 * whole run: test/helpers/pg-global-setup.ts as vitest globalSetup). `pg.pause()` and
 * `pg.resume()` stop and start the same cluster on the same port (a test of what a lost database
 * does to requests in flight).
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, cpSync, renameSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const ROOT = '/usr/lib/postgresql';

export interface PgCluster {
  /** The port on 127.0.0.1. */
  readonly port: number;
  /** A URL of the cluster's maintenance database `postgres` (the superuser, trust auth). */
  readonly adminUrl: string;
  /** A new database, empty or a copy of `template` (a database on this cluster nobody is connected to); returns its URL. */
  createDatabase(name?: string, opts?: { template?: string }): Promise<string>;
  /** Stops the server (fast shutdown: open connections are ended), keeping its data. */
  pause(): Promise<void>;
  /** Starts the paused server again on the same port. */
  resume(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** The bin directory of the newest PostgreSQL installed, or a loud failure naming what is missing. */
export function postgresBin(root = ROOT): string {
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    : [];
  if (!versions.length) {
    throw new Error(
      `未找到 PostgreSQL 服务端程序（需要 ${root}/<版本>/bin/initdb 与 pg_ctl），请安装 Debian 的 postgresql 软件包（apt-get install postgresql）。` +
        ` PostgreSQL server binaries not found: the PostgreSQL adapter's tests need initdb and pg_ctl in ${root}/<version>/bin — install Debian's postgresql package.`,
    );
  }
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return join(root, newest, 'bin');
}

const isRoot = () => process.getuid?.() === 0;

/** Runs a server binary, as `postgres` when we are root (initdb and postgres refuse root). */
async function pgRun(bin: string, tool: string, args: string[]): Promise<string> {
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  try {
    const { stdout } = await run(cmd, argv, { cwd: tmpdir(), maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`PostgreSQL 测试集群命令失败 / PostgreSQL test cluster command failed: ${tool} ${args.join(' ')}\n${e.stderr ?? ''}${e.stdout ?? ''}${e.message}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** uid and gid of `postgres`, to hand it the temp dir when we are root. */
async function postgresOwner(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('未找到系统用户 postgres / no system user `postgres` to run the test cluster as');
  return { uid, gid };
}

/**
 * A freshly initialized data directory, copied from one made once per machine and version
 * (initdb takes a second or two; a copy a fraction of that). The template is built under a
 * temporary name and renamed into place, so concurrent test files never copy a half-made one.
 */
async function initDataDir(bin: string, dataDir: string, owner: { uid: number; gid: number } | null): Promise<void> {
  const template = join(tmpdir(), `caiji-pg-template-${bin.split('/').at(-2)}-${process.getuid?.() ?? 'u'}`);
  if (!existsSync(join(template, 'PG_VERSION'))) {
    const building = mkdtempSync(join(tmpdir(), 'caiji-pg-template-build-'));
    if (owner) chownSync(building, owner.uid, owner.gid);
    const data = join(building, 'data');
    // trust for every local and loopback connection (throwaway cluster); C locale: byte order, as SQLite compares.
    await pgRun(bin, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    try {
      renameSync(data, template);
    } catch {
      // Another file built it at the same time: theirs is as good.
    }
    rmSync(building, { recursive: true, force: true });
  }
  cpSync(template, dataDir, { recursive: true });
  if (owner) await run('chown', ['-R', `${owner.uid}:${owner.gid}`, dataDir]);
  chmodSync(dataDir, 0o700);
}

let databases = 0;

/**
 * A new, empty database on the cluster whose maintenance database `adminUrl` names; returns its
 * URL. Usable from any process (a test file reaching a cluster started by a vitest globalSetup:
 * test/helpers/pg-global-setup.ts).
 */
export async function createDatabaseAt(adminUrl: string, name = `t_${process.pid}_${++databases}_${Date.now().toString(36)}`,
  opts: { template?: string } = {}): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // A template (a database migrated once, nobody connected to it) is copied file by file: faster than migrating each.
    await client.query(`CREATE DATABASE "${name}"${opts.template ? ` TEMPLATE "${opts.template}"` : ''}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Starts a new cluster; see the file's comment. */
export async function startPgCluster(): Promise<PgCluster> {
  const bin = postgresBin();
  const owner = isRoot() ? await postgresOwner() : null;
  const dir = mkdtempSync(join(tmpdir(), 'caiji-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const dataDir = join(dir, 'data');
  await initDataDir(bin, dataDir, owner);
  // Durability is worth nothing in a throwaway cluster; start-up and every commit get faster without it.
  writeFileSync(
    join(dataDir, 'postgresql.auto.conf'),
    ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off', "listen_addresses = '127.0.0.1'", 'max_connections = 200', 'shared_buffers = 32MB'].join('\n') + '\n',
  );
  if (owner) chownSync(join(dataDir, 'postgresql.auto.conf'), owner.uid, owner.gid);
  const port = await freePort();
  const log = join(dir, 'server.log');
  const start = () => pgRun(bin, 'pg_ctl', ['start', '-w', '-t', '60', '-D', dataDir, '-l', log, '-o', `-p ${port} -k ${dir}`]);
  const halt = (mode: 'fast' | 'immediate') => pgRun(bin, 'pg_ctl', ['stop', '-w', '-t', '60', '-D', dataDir, '-m', mode]);
  await start();
  let running = true;
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;

  return {
    port,
    adminUrl,
    createDatabase: (name?: string, opts?: { template?: string }) => createDatabaseAt(adminUrl, name, opts),
    async pause() {
      await halt('fast');
      running = false;
    },
    async resume() {
      await start();
      running = true;
    },
    async stop() {
      if (running) await halt('immediate').catch(() => undefined);
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
