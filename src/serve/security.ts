import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { isLoopback, type Listen } from './options.js';

/** No inline script or style, nothing from elsewhere, no framing: the page runs only its own bundle. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Security headers on every response; and only GET/HEAD: the dashboard changes nothing. */
export function hardening(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('Allow', 'GET, HEAD');
      return c.json({ error: `${c.req.method} is not allowed: tasker serve is read-only` }, 405);
    }
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
  };
}

/**
 * On a loopback bind without a token, only loopback Host names are served: a web page whose domain
 * is re-pointed at 127.0.0.1 (DNS rebinding) must not read the history through the browser.
 */
export function hostCheck(listen: Listen, token: string | undefined): MiddlewareHandler {
  const names = [
    '127.0.0.1',
    'localhost',
    '[::1]',
    listen.host.includes(':') ? `[${listen.host}]` : listen.host,
  ];
  return async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase();
    // listen.port is read per request: a bind to port 0 learns its port after the app is built.
    if (token === undefined && isLoopback(listen.host) && !names.some((n) => host === `${n}:${listen.port}`))
      return c.json({ error: `Host "${host}" is not served; open http://127.0.0.1:${listen.port}/` }, 403);
    await next();
  };
}

/** Every `/api/` call carries `Authorization: Bearer TOKEN` when serve has a token. */
export function bearerAuth(token: string | undefined): MiddlewareHandler {
  const want = token === undefined ? undefined : digest(token);
  return async (c, next) => {
    if (want === undefined) return next();
    const m = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!m || !timingSafeEqual(digest(m[1]!), want)) {
      c.header('WWW-Authenticate', 'Bearer realm="tasker"');
      return c.json(
        { error: 'missing or wrong token: open the URL tasker serve printed, or paste the token' },
        401,
      );
    }
    await next();
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
