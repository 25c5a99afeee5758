/**
 * `npx tsx test/bench/pg-save-trace.ts`: every statement one save sends to PostgreSQL, in order —
 * a POST of a new member and a PUT of it — on a throwaway cluster with the demo data, the server
 * in this process. Counts round trips (each `query` of the driver is one) so a change to the save
 * path can show what it took away. The first save of each kind runs untraced (it compiles and fills
 * the caches a running server has warm).
 */
import { startServer } from '../../engine/server.js';
import { pgStatements } from '../helpers/pg-statements.js';
import { startPgCluster } from '../helpers/pg-cluster.js';
import { repoRoot } from '../helpers/paths.js';
import { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';

const cluster = await startPgCluster();
try {
  const server = await startServer({ appRoot: repoRoot, database: await cluster.createDatabase(), port: 0, demo: true });
  const passwords = new Map(server.demoLogins.map((l) => [l.username, l.password]));
  const admin = new Client(server.url);
  await admin.post('/api/login', { username: 'ft_admin', password: passwords.get('ft_admin') });
  const org = await nodeId(admin, '惠民党支部');
  const show = async (label: string, fn: () => Promise<{ status: number }>) => {
    const [sent, { status }] = await pgStatements(fn);
    console.log(`\n${label}: ${status}, ${sent.length} round trips`);
    for (const s of sent) console.log(`  ${s.replace(/\s+/g, ' ').slice(0, 160)}`);
  };
  const warm = await admin.post('/api/records/member', memberData(org));
  await admin.put(`/api/records/member/${warm.body.id}`, { ...warm.body.data, address: '预热' }, 1);
  let created: { body: { id: string; data: Record<string, unknown> } } | undefined;
  await show('POST /api/records/member', async () => (created = await admin.post('/api/records/member', memberData(org))));
  await show('PUT /api/records/member/:id', () => admin.put(`/api/records/member/${created!.body.id}`, { ...created!.body.data, address: '改过' }, 1));
  await show('PUT changing a unique key (身份证号码)', async () => {
    const other = memberData(org);
    return admin.put(`/api/records/member/${created!.body.id}`, { ...created!.body.data, idNumber: other.idNumber, birthDate: other.birthDate }, 2);
  });
  await server.close();
} finally {
  await cluster.stop();
}
