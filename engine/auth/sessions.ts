import type { Storage } from '../ports.js';

/**
 * Sign-in and sign-out, and a person replacing their own password: each one write to the
 * sessions or the account, in its own transaction (ending sessions bumps the auth epoch when it
 * commits). The checks before them — the throttle, the password verified — are the routes'.
 */
type SessionStorage = Pick<Storage, 'db' | 'unitOfWork' | 'sessions' | 'accounts'>;

/** A new session of the user; `replacing`: the token of the session this browser had, which ends. */
export function startSession(storage: SessionStorage, userId: string, replacing?: string) {
  return storage.unitOfWork.transaction(storage.db, (tx) => storage.sessions.startSession(tx, userId, replacing));
}

export function endSession(storage: SessionStorage, sessionId: string): Promise<void> {
  return storage.unitOfWork.transaction(storage.db, (tx) => storage.sessions.endSession(tx, sessionId));
}

/** Replaces the hash `was` (false when someone changed it meanwhile) and ends every other session of the user. */
export function replaceOwnPassword(storage: SessionStorage, userId: string, was: string, hash: string, keepSession: string): Promise<boolean> {
  return storage.unitOfWork.transaction(storage.db, (tx) => storage.accounts.replacePassword(tx, userId, was, hash, keepSession));
}
