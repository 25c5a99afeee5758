/** How long a login session lives, on every adapter: a working day. */
export const SESSION_HOURS = 12;
