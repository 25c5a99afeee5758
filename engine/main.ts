import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.js';
import { ConfigError } from './config/load-app.js';
import { DomainError } from './errors.js';
import { isEmpty } from './seed/demo.js';

/** `npm start`: the application in this repository (or CAIJI_APP), on CAIJI_DB: a SQLite file or a postgres:// URL. */
const repoRoot = resolve(fileURLToPath(import.meta.url), '../..');
const port = Number(process.env.PORT ?? 3000);

const demo = process.env.CAIJI_DEMO !== '0';
try {
  const server = await startServer({
    appRoot: resolve(process.env.CAIJI_APP ?? repoRoot),
    // A SQLite file (resolved against the working directory) or a postgres:// URL.
    database: process.env.CAIJI_DB ?? resolve(repoRoot, 'data/caiji.db'),
    port,
    host: process.env.HOST ?? '0.0.0.0',
    demo,
    // Developer mode only: the config folders published as versions on every change.
    watchConfig: process.env.CAIJI_CONFIG_WATCH === '1',
  });
  const title = server.engine.runtime.config.manifest.title;
  console.log(`caiji — ${title}`);
  console.log(`  数据库: ${server.engine.storage.location}`);
  console.log(`  访问:   ${server.url.replace('127.0.0.1', 'localhost')}`);
  if (server.demoLogins.length) {
    console.log('  演示账号（首次启动时载入）:');
    for (const l of server.demoLogins) console.log(`    ${l.username.padEnd(16)} ${l.password.padEnd(12)} ${l.displayName}（${l.roles}）`);
  } else if (await isEmpty(server.engine)) {
    // CAIJI_DEMO=0 on a new database: nobody can log in until the operator creates the first admin.
    console.log('  数据库为空：请先运行 npm run admin -- init --root <根节点.json> --username <用户名> --name <姓名>');
    console.log('  建立组织树的根节点和第一个管理员账号（npm run admin -- --help 查看用法）');
  } else if (demo) {
    console.log('  演示账号见 README.md（数据库非空，未重新载入演示数据）');
  } else {
    console.log('  找回管理员密码: npm run admin -- reset-password <用户名>');
  }
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  // A refusal meant for the operator (a bad config, a CAIJI_DB that is not a database we open, a
  // server that does not answer) is said in one line; anything else with its stack.
  if (err instanceof ConfigError || err instanceof DomainError) console.error(err.message);
  else console.error(err);
  process.exit(1);
}
