import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEngine, type Engine } from '../engine.js';
import { ConfigError } from '../config/load-app.js';
import type { Accounts, Tx, UserRow } from '../ports.js';
import { hashPassword } from '../auth/password.js';
import { firstPassword } from '../auth/first-password.js';
import { usernameProblem } from '../auth/usernames.js';
import { accountRecord } from '../auth/account-keeper.js';
import { DomainError } from '../errors.js';
import { importDirectoryFile, describeImport } from '../directory/operator-import.js';
import { exportVersion, importFolder } from '../config-versions/folder.js';

/**
 * `npm run admin -- <command>`: what only the operator of the machine can do, because no account
 * in the product is above it.
 * - init: on a database without a tree, create its root node and the first admin account (an empty
 *   production database, started with CAIJI_DEMO=0, has nobody who could do it in the UI);
 * - reset-password / unlock: recover an account that nobody keeps (the root's admins);
 * - backup: a consistent copy of the database, also while the server runs (VACUUM INTO reads one
 *   snapshot; writers are not blocked in WAL mode);
 * - directory import: the shared lookup directory at setup, before anybody can log in;
 * - config export / import: a config version as the application's folder layout (byte for byte),
 *   and a folder made the draft — or, for a deploy script, published through the same checks.
 * Every change is audited as "命令行", in one transaction; a password set here is shown once and
 * must be replaced at the first login.
 */
const USAGE = `用法:
  npm run admin -- init --root <根节点.json 或 JSON> --username <用户名> --name <姓名> [--role <角色>]...
      在没有组织树的数据库中建立根节点和第一个管理员账号（一次性初始密码，首次登录须修改）
  npm run admin -- reset-password <用户名>    重置密码（一次性初始密码，原会话全部结束）
  npm run admin -- unlock <用户名>            启用已停用的账号
  npm run admin -- accounts                   列出账号、状态和职务
  npm run admin -- backup <备份文件>           备份数据库（服务运行中也可，得到一致的快照）
  npm run admin -- directory import <文件> [集合]  导入共用查找目录（CSV 或 xlsx，格式见 README）
  npm run admin -- config export <目录> [--version <版本号>]  把配置版本（默认为已发布的）写成应用的文件夹
  npm run admin -- config import <目录> [--publish --note <说明>]  把文件夹导入为配置草稿（--publish：直接发布）
  npm run admin -- migrate-to-postgres --from <SQLite 文件> --to postgres://… [--keep-sessions]
      把整个 SQLite 数据库复制到空的 PostgreSQL 数据库并逐表核对（先停止服务；默认不复制登录会话）
数据库: CAIJI_DB 或 --db（默认 ./data/caiji.db）；应用: CAIJI_APP（默认本仓库）`;

const ACTOR = '命令行';
const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');

/** A refusal meant for the operator: printed alone, exit code 1. */
class Refused extends Error {}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        root: { type: 'string' }, username: { type: 'string' }, name: { type: 'string' },
        role: { type: 'string', multiple: true }, db: { type: 'string' }, help: { type: 'boolean', short: 'h' },
        version: { type: 'string' }, publish: { type: 'boolean' }, note: { type: 'string' },
        from: { type: 'string' }, to: { type: 'string' }, 'keep-sessions': { type: 'boolean' },
      },
    });
  } catch (err) {
    const option = /'(-[^']*)'/.exec((err as Error).message)?.[1];
    throw new Refused(`${option ? `不认识的选项 ${option}` : '参数有误'}\n${USAGE}`);
  }
}
let opts: ReturnType<typeof parse>['values'] = {};

/** The commands, each given the engine and the argument after the command's name. */
const COMMANDS: Record<string, (engine: Engine, arg: string | undefined, rest: string[]) => Promise<void>> = {
  init: (engine) => init(engine),
  'reset-password': (engine, arg) => resetPassword(engine, required(arg, '用户名')),
  unlock: (engine, arg) => unlock(engine, required(arg, '用户名')),
  accounts: (engine) => listAccounts(engine),
  backup: (engine, arg) => backup(engine, required(arg, '备份文件')),
  directory: (engine, arg, [file, collection]) => directory(engine, arg, file, collection),
  config: (engine, arg, [dir]) => config(engine, arg, required(dir, '目录')),
};

async function main(): Promise<void> {
  const parsed = parse();
  opts = parsed.values;
  const [command, arg, ...rest] = parsed.positionals;
  if (opts.help || !command) return void console.log(USAGE);
  // Between two databases, neither of them the one CAIJI_DB names: no engine is opened.
  if (command === 'migrate-to-postgres') return migrateToPostgres();
  // Refused before the database is opened: a typo must not create an empty database file.
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) throw new Refused(`未知命令“${command}”\n${USAGE}`);
  const engine = await createEngine({
    appRoot: resolve(process.env.CAIJI_APP ?? repoRoot),
    database: opts.db ?? process.env.CAIJI_DB ?? resolve(repoRoot, 'data/caiji.db'),
  });
  try {
    await run(engine, arg, rest);
  } finally {
    await engine.close();
  }
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new Refused(`缺少「${what}」\n${USAGE}`);
  return value;
}

/** The roles the first admin gets: those named, or else the one role that may grant (if only one does). */
function firstAdminRoles(engine: Engine): string[] {
  const roles = engine.runtime.config.manifest.roles;
  if (opts.role?.length) {
    for (const r of opts.role) {
      if (!roles[r] || roles[r].self) throw new Refused(`「角色」“${r}”不是可授予的职务（可选：${Object.keys(roles).filter((k) => !roles[k].self).join('、')}）`);
    }
    return [...new Set(opts.role)];
  }
  const granting = Object.keys(roles).filter((k) => !roles[k].self && roles[k].permissions.includes('grant'));
  if (granting.length !== 1) throw new Refused(`请用 --role 指定第一个管理员的职务（可授权的职务：${granting.join('、') || '无'}）`);
  return granting;
}

/** The root node's fields: a JSON file, or JSON given inline. */
function rootData(): Record<string, unknown> {
  const given = required(opts.root, '根节点');
  let text = given;
  if (!given.trim().startsWith('{')) {
    try {
      text = readFileSync(given, 'utf8');
    } catch {
      throw new Refused(`「根节点」文件“${given}”无法读取`);
    }
  }
  try {
    const data = JSON.parse(text);
    if (data && typeof data === 'object' && !Array.isArray(data)) return data;
  } catch { /* named below */ }
  throw new Refused('「根节点」须为一个 JSON 对象（字段名对应表单字段）');
}

async function init(engine: Engine): Promise<void> {
  const tree = engine.runtime.config.tree;
  const username = required(opts.username, '用户名');
  const displayName = required(opts.name, '姓名');
  const roles = firstAdminRoles(engine);
  const data = rootData();
  if (data[tree.parentField] !== undefined) throw new Refused(`根节点不能有上级（字段 ${tree.parentField}）`);
  const password = firstPassword();
  const hash = await hashPassword(password);
  const { accounts, audit } = engine.storage;
  const root = await engine.storage.unitOfWork.transaction(engine.storage.db, async (tx) => {
    if (await engine.storage.records.anyOf(tx, tree.collection)) throw new Refused('数据库中已有组织树：init 只用于空数据库。请用已有管理员在界面中授予职务，或用 reset-password 找回密码');
    const problem = await usernameProblem(accounts, tx, username);
    if (problem) throw new Refused(problem);
    const rec = await engine.records.create({ name: ACTOR }, tree.collection, data, tx);
    const userId = await accounts.create(tx, { username, passwordHash: hash, displayName, mustChangePassword: true });
    for (const role of roles) await accounts.grant(tx, userId, role, rec.id);
    await audit.append(tx, {
      actor: ACTOR, collection: rec.collection, recordId: rec.id, action: 'account-open', fromState: null, toState: null, diff: null,
      note: `用户名 ${username}（${roles.map((r) => engine.runtime.config.manifest.roles[r].title).join('、')}）`,
    });
    return rec;
  });
  const label = String(root.data[tree.labelField] ?? root.id);
  console.log(`已建立根节点“${label}”和管理员账号（${roles.map((r) => engine.runtime.config.manifest.roles[r].title).join('、')}）：`);
  printPassword(username, password);
}

async function accountNamed(accounts: Accounts, tx: Tx, username: string): Promise<UserRow> {
  const account = await accounts.byName(tx, username);
  if (!account) throw new Refused(`「用户名」“${username}”不存在`);
  return account;
}

async function resetPassword(engine: Engine, username: string): Promise<void> {
  const password = firstPassword();
  const hash = await hashPassword(password);
  const { storage } = engine;
  await storage.unitOfWork.transaction(storage.db, async (tx) => {
    const account = await accountNamed(storage.accounts, tx, username);
    await storage.accounts.resetPassword(tx, account.id, hash);
    const rec = await accountRecord(storage, tx, account);
    if (rec) await storage.audit.append(tx, { actor: ACTOR, collection: rec.collection, recordId: rec.id, action: 'account-reset', fromState: null, toState: null, diff: null, note: `用户名 ${username}` });
  });
  console.log('密码已重置，该账号的会话已全部结束：');
  printPassword(username, password);
}

async function unlock(engine: Engine, username: string): Promise<void> {
  const { storage } = engine;
  const changed = await storage.unitOfWork.transaction(storage.db, async (tx) => {
    const account = await accountNamed(storage.accounts, tx, username);
    if (!(await storage.accounts.setLocked(tx, account.id, false))) return false;
    const rec = await accountRecord(storage, tx, account);
    if (rec) await storage.audit.append(tx, { actor: ACTOR, collection: rec.collection, recordId: rec.id, action: 'account-unlock', fromState: null, toState: null, diff: null, note: `用户名 ${username}` });
    return true;
  });
  console.log(changed ? `账号 ${username} 已启用` : `账号 ${username} 本来就是启用状态，未作改动`);
}

async function listAccounts(engine: Engine): Promise<void> {
  const { db, accounts, records } = engine.storage;
  const rows = await accounts.all(db);
  const roles = engine.runtime.config.manifest.roles;
  for (const u of rows) {
    const grants = await accounts.grants(db, u.id);
    const held = [];
    for (const g of grants) {
      const node = await records.get(db, g.nodeId);
      held.push(`${String(node?.data[engine.runtime.config.tree.labelField] ?? g.nodeId)}·${roles[g.role]?.title ?? g.role}`);
    }
    if (u.self_record) held.push('本人记录');
    const state = u.locked_at ? '已停用' : u.must_change_password ? '待改初始密码' : '正常';
    console.log(`${pad(u.username, 20)} ${pad(state, 12)} ${pad(u.display_name, 24)} ${held.join('，')}`);
  }
  console.log(`共 ${rows.length} 个账号`);
}

/** Pads to a width in terminal columns: CJK characters take two. */
function pad(text: string, columns: number): string {
  const width = [...text].reduce((w, ch) => w + (ch.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(1, columns - width));
}

async function backup(engine: Engine, target: string): Promise<void> {
  const file = resolve(target);
  if (existsSync(file)) throw new Refused(`「备份文件」“${file}”已存在，请换一个文件名（不会覆盖已有文件）`);
  mkdirSync(dirname(file), { recursive: true });
  const copy = await engine.storage.maintenance.backupTo(engine.storage.db, file);
  const size = (statSync(file).size / 1024 / 1024).toFixed(1);
  console.log(`已备份到 ${file}（${size} MB；记录 ${copy.records} 条，账号 ${copy.users} 个）`);
  console.log(copy.restore);
}

/**
 * migrate-to-postgres: a district that started on the embedded SQLite file moves to the server
 * database — every table copied into an empty PostgreSQL database and verified there in the same
 * transaction (engine/storage/postgres/copy-from-sqlite.ts); a failed copy leaves it empty.
 */
async function migrateToPostgres(): Promise<void> {
  const from = resolve(required(opts.from, '--from SQLite 文件'));
  const to = required(opts.to, '--to PostgreSQL 地址');
  if (!/^postgres(ql)?:\/\//i.test(to)) throw new Refused(`「--to」须是 postgres://用户@主机:端口/数据库 形式的地址`);
  const { migrateSqliteFile } = await import('../storage/postgres/copy-from-sqlite.js');
  try {
    const report = await migrateSqliteFile(from, to, { keepSessions: opts['keep-sessions'], progress: (line) => console.log(`  已复制 ${line}`) });
    for (const t of report.tables) console.log(`${pad(t.table, 20)} ${String(t.rows).padStart(10)} 行  ${t.verified ? '已核对' : '未核对'}`);
    console.log(`未复制：${report.skipped.join('、')}（运行时状态${opts['keep-sessions'] ? '' : '与登录会话：大家在新服务器上重新登录'}）`);
    console.log(`完成：把 CAIJI_DB 设为 PostgreSQL 地址后启动服务`);
  } catch (err) {
    throw new Refused(`迁移未完成，目标数据库中没有写入数据（表结构可能已建立）：${(err as Error).message}`);
  }
}

/** directory import: the shared lookup directory, loaded by the operator (engine/directory/operator-import.ts). */
async function directory(engine: Engine, sub: string | undefined, file: string | undefined, collection: string | undefined): Promise<void> {
  if (sub !== 'import') throw new Refused(`未知的 directory 子命令“${sub ?? ''}”（只有 import）\n${USAGE}`);
  const { collection: name, result } = await importDirectoryFile(engine, required(file, '文件'), collection);
  console.log(describeImport(engine.runtime.collection(name).title, result));
}

/** config export / import: the config versions as the developer's folders (engine/config-versions/folder.ts). */
async function config(engine: Engine, sub: string | undefined, dir: string): Promise<void> {
  if (sub === 'export') {
    const version = opts.version === undefined ? undefined : Number(opts.version);
    if (version !== undefined && !(Number.isInteger(version) && version > 0)) throw new Refused('「版本号」应为正整数');
    const { number, written, removed } = await exportVersion(engine, resolve(dir), version);
    console.log(`已把配置第 ${number} 版写到 ${resolve(dir)}（${written} 个文件${removed ? `，删除了该版本没有的 ${removed} 个文件` : ''}）`);
    return;
  }
  if (sub !== 'import') throw new Refused(`未知的 config 子命令“${sub ?? ''}”（export 或 import）\n${USAGE}`);
  if (opts.note !== undefined && !opts.publish) throw new Refused('--note 只与 --publish 一起使用');
  const result = await importFolder(engine, ACTOR, resolve(dir), opts.publish ? { note: opts.note ?? null } : undefined);
  if ('version' in result) {
    console.log(`已发布为配置第 ${result.version} 版（改动 ${result.documents.length} 个文件，迁移 ${result.migrated} 条记录）`);
  } else if (result.problems.length) {
    console.log(`已导入为配置草稿，但未通过检查，修正前不能发布：\n${result.problems.map((p) => `  - ${p.message}`).join('\n')}`);
  } else {
    console.log(`已导入为配置草稿（改动 ${result.changed.length} 个文件），请配置管理员检查影响后发布`);
  }
}

function printPassword(username: string, password: string) {
  console.log(`  用户名:   ${username}`);
  console.log(`  初始密码: ${password}（只显示这一次；首次登录须修改）`);
}

try {
  await main();
} catch (err) {
  if (err instanceof Refused || err instanceof ConfigError) console.error(err.message);
  else if (err instanceof DomainError && err.code.startsWith('config_')) {
    // A publish refused: the check's own messages, each naming its document and place.
    console.error(`${err.message.split('：')[0]}：\n${err.details.map((d) => `  - ${d.message}`).join('\n')}`);
  } else if (err instanceof DomainError) {
    console.error(err.details.length ? `根节点数据有误：\n${err.details.map((d) => `  - ${d.message}`).join('\n')}` : err.message);
  } else console.error(err);
  process.exitCode = 1;
}
