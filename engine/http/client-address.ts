import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/**
 * Who is on the other end of a request, and how it arrived. Behind a reverse proxy the socket's
 * peer is the proxy: only then (CAIJI_TRUST_PROXY=1, read per request) are the proxy's
 * X-Forwarded-For and X-Forwarded-Proto believed. Without it a client could name any address or
 * scheme it likes in those headers, so they are ignored.
 */
export const trustProxy = () => process.env.CAIJI_TRUST_PROXY === '1';

/** The first element of a comma-separated forwarding header, trimmed; '' when absent. */
const firstHop = (header: string | undefined) => (header ?? '').split(',')[0].trim();

/** The socket's peer address ('' when the request came without a socket, e.g. app.request in-process). */
function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? '';
  } catch {
    return '';
  }
}

/**
 * The client's address: the socket's peer, or — through a trusted proxy — the first hop of
 * X-Forwarded-For (the proxy must set that header itself rather than append to the client's).
 * An IPv4 address mapped into IPv6 is written as IPv4, so one client has one name.
 */
export function clientAddress(c: Context): string {
  const forwarded = trustProxy() ? firstHop(c.req.header('x-forwarded-for')) : '';
  const address = forwarded || socketAddress(c) || 'unknown';
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

/** The request reached us over https: on the socket itself, or as a trusted proxy says (X-Forwarded-Proto). */
export function arrivedOverHttps(c: Context): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return trustProxy() && firstHop(c.req.header('x-forwarded-proto')).toLowerCase() === 'https';
}
