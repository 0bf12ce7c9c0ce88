import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLoopback, parseListen, refuseReason, resolveToken } from '../../../src/serve/options.js';
import { tempDir } from '../../helpers/cli.js';

describe('serve options', () => {
  it('parses HOST:PORT, [v6]:PORT and :PORT; names the flag on anything else', () => {
    expect(parseListen('127.0.0.1:8087')).toEqual({ host: '127.0.0.1', port: 8087 });
    expect(parseListen('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(parseListen(':0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListen('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
    for (const bad of ['8087', 'host:', 'a:b:c', 'h:70000', '[nothost]:1', '::1:80'])
      expect(parseListen(bad)).toEqual({ error: expect.stringContaining('--listen') as unknown });
  });

  it('counts only 127/8, ::1 and localhost as loopback', () => {
    for (const h of ['127.0.0.1', '127.9.8.7', '::1', 'localhost']) expect(isLoopback(h)).toBe(true);
    for (const h of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      '192.168.1.2',
      '127.example.com',
      'localhost.evil.com',
      '::ffff:10.0.0.1',
    ])
      expect(isLoopback(h)).toBe(false);
  });

  it('refuses a non-loopback bind without a token and says how to give one', () => {
    expect(refuseReason({ host: '0.0.0.0', port: 8087 }, undefined)).toMatch(
      /--token-file FILE or set TASKER_SERVE_TOKEN/,
    );
    expect(refuseReason({ host: '0.0.0.0', port: 8087 }, 'x'.repeat(20))).toBeUndefined();
    expect(refuseReason({ host: '127.0.0.1', port: 8087 }, undefined)).toBeUndefined();
  });

  it('reads the token from the file first line, else the environment; refuses short ones', () => {
    const dir = tempDir();
    const file = join(dir, 'token');
    writeFileSync(file, 'abcdefghijklmnopqrstuvwx\nignored\n');
    expect(resolveToken(file, { TASKER_SERVE_TOKEN: 'other-token-1234567890' })).toEqual({
      token: 'abcdefghijklmnopqrstuvwx',
    });
    expect(resolveToken(undefined, { TASKER_SERVE_TOKEN: 'env-token-1234567890' })).toEqual({
      token: 'env-token-1234567890',
    });
    expect(resolveToken(undefined, {})).toEqual({ token: undefined });
    expect(resolveToken(undefined, { TASKER_SERVE_TOKEN: 'short' })).toEqual({
      error: expect.stringMatching(/TASKER_SERVE_TOKEN.*at least 16/) as unknown,
    });
    expect(resolveToken(join(dir, 'nope'), {})).toEqual({
      error: expect.stringMatching(/--token-file .*nope: cannot read/) as unknown,
    });
    writeFileSync(file, '\n');
    expect(resolveToken(file, {})).toEqual({ error: expect.stringContaining('at least 16') as unknown });
  });
});
