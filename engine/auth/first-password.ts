import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another when read aloud or copied by hand. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';

/**
 * A password an admin hands to a person (a new account, a reset): 12 characters from a crypto
 * source, grouped by four for reading out ("Kp7d-Wq3m-Zt9x"). About 68 bits: the person must
 * replace it at the first login anyway.
 */
export function firstPassword(): string {
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}
