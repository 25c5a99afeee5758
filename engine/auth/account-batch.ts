import type { StoredRecord } from '../ports.js';
import { domainInvalid } from '../errors.js';
import type { Principal } from './principal.js';
import type { AccountContext } from './account-context.js';
import { accountHolderRecord, nameOf, openAccount, usernameFor } from './account-opening.js';
import { usernameProblem } from './usernames.js';

export interface BatchOpened {
  created: { record: string; name: string; username: string; password: string }[];
  existing: { record: string; name: string; username: string }[];
}

/** Of these records, those without an account now: whose first passwords the caller hashes before opening them. */
export async function recordsWithoutAccount(engine: AccountContext, ids: string[]): Promise<string[]> {
  const { db, accounts } = engine.storage;
  const pending = [];
  for (const id of ids) if (!(await accounts.bySelfRecord(db, id))) pending.push(id);
  return pending;
}

/**
 * Accounts for many records at once, each under its proposed username with the first password
 * hashed beforehand (`first`: by record id; a record missing from it got an account meanwhile), in
 * one transaction: records that already have an account are reported and left alone; if any other
 * record cannot get one (no or a taken username), nothing is created and each such record is named.
 */
export async function openAccounts(engine: AccountContext, user: Principal, ids: string[],
  first: Map<string, { password: string; hash: string }>): Promise<BatchOpened> {
  const { db, unitOfWork, accounts } = engine.storage;
  return unitOfWork.transaction(db, async (tx) => {
    const created: BatchOpened['created'] = [];
    const existing: BatchOpened['existing'] = [];
    const problems: { path: string; message: string }[] = [];
    const taken = new Set<string>();
    const plan: [StoredRecord, string][] = [];
    for (const [i, id] of ids.entries()) {
      const rec = await accountHolderRecord(engine, tx, user, id);
      const name = nameOf(engine, rec) ?? rec.id;
      const has = await accounts.bySelfRecord(tx, rec.id);
      if (has) { existing.push({ record: rec.id, name, username: has.username }); continue; }
      const wanted = usernameFor(engine, rec);
      const problem = first.has(rec.id) ? await usernameProblem(accounts, tx, wanted, taken) : '刚刚被他人开通了账号，请刷新后重试';
      if (problem) { problems.push({ path: `/records/${i}`, message: `${name}：${problem}` }); continue; }
      taken.add(wanted as string);
      plan.push([rec, wanted as string]);
    }
    if (problems.length) throw domainInvalid(problems, `有 ${problems.length} 人不能开通账号，本次未开通任何账号`);
    for (const [rec, username] of plan) {
      await openAccount(engine, tx, user, rec, username, first.get(rec.id)!.hash);
      created.push({ record: rec.id, name: nameOf(engine, rec) ?? rec.id, username, password: first.get(rec.id)!.password });
    }
    return { created, existing };
  });
}
