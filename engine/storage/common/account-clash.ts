import { domainInvalid, type DomainError } from '../../errors.js';

/**
 * An account the store refused because another holds its username or its record (a record has
 * at most one account): the same Chinese answer on every adapter. The core checks both before it
 * creates an account; the store's unique indexes decide when two requests (two instances of the
 * server) create at once, and this is what the loser hears.
 */
export function accountClash(what: 'username' | 'record', username: string): DomainError {
  return what === 'username'
    ? domainInvalid([{ path: '/username', message: `「用户名」“${username}”已被使用` }])
    : domainInvalid([{ path: '/record', message: '该人员已有账号' }]);
}
