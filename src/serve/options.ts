import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

export interface Listen {
  host: string;
  port: number;
}

/** Shorter tokens are refused: a guessable token on a network port is no protection. */
const MIN_TOKEN_LENGTH = 16;

/** `HOST:PORT`, `[::1]:PORT` or `:PORT` (loopback); an error message naming the flag otherwise. */
export function parseListen(text: string): Listen | { error: string } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535)
    return { error: `--listen "${text}": expected HOST:PORT, e.g. 127.0.0.1:8087 or [::1]:8087` };
  const host = m[1] ?? (m[2] === '' ? '127.0.0.1' : m[2]!);
  if (m[1] !== undefined && isIP(host) !== 6)
    return { error: `--listen "${text}": "${host}" in brackets is not an IPv6 address` };
  return { host, port };
}

/** Loopback only: 127.0.0.0/8, ::1 and `localhost`; everything else is reachable from elsewhere. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * The token from `--token-file` (first line) or `TASKER_SERVE_TOKEN`; undefined when neither is
 * given; an error message naming the source when it is unreadable or too short.
 */
export function resolveToken(
  tokenFile: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { token: string | undefined } | { error: string } {
  let token: string | undefined;
  let source = 'TASKER_SERVE_TOKEN';
  if (tokenFile !== undefined) {
    source = `--token-file ${tokenFile}`;
    try {
      token = (readFileSync(tokenFile, 'utf8').split('\n')[0] ?? '').trim();
    } catch (err) {
      return { error: `${source}: cannot read it (${(err as Error).message})` };
    }
  } else token = env.TASKER_SERVE_TOKEN?.trim() || undefined;
  if (token === undefined) return { token };
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token))
    return {
      error: `${source}: the token must be at least ${MIN_TOKEN_LENGTH} characters without spaces; e.g. \`openssl rand -hex 24\``,
    };
  return { token };
}

/** Why serve must not start with these settings, or undefined when it may. */
export function refuseReason(listen: Listen, token: string | undefined): string | undefined {
  if (token !== undefined || isLoopback(listen.host)) return undefined;
  return (
    `refusing to listen on ${listen.host}:${listen.port} without a token: anyone who can reach it could read ` +
    `every run's output. Give --token-file FILE or set TASKER_SERVE_TOKEN, or listen on 127.0.0.1`
  );
}
