import { describe, expect, it } from 'vitest';
import { maskUrl, storeLocation } from '../../../src/store/location.js';

describe('storeLocation', () => {
  it('defaults to the state home SQLite file', () => {
    expect(storeLocation(undefined, '/h')).toEqual({
      kind: 'ok',
      location: { kind: 'sqlite', file: '/h/history.db', label: '/h/history.db' },
    });
    expect(storeLocation('  ', '/h')).toMatchObject({ location: { file: '/h/history.db' } });
  });

  it('selects PostgreSQL for postgres:// and postgresql://, labelled without the password', () => {
    for (const scheme of ['postgres', 'postgresql', 'POSTGRES']) {
      const spec = storeLocation(`${scheme}://ops:p%40ss@db.example:6432/hist`, '/h');
      expect(spec).toEqual({
        kind: 'ok',
        location: {
          kind: 'postgres',
          url: `${scheme}://ops:p%40ss@db.example:6432/hist`,
          label: 'postgres://ops@db.example:6432/hist',
          hostPort: 'db.example:6432',
        },
      });
    }
    expect(storeLocation('postgres://db/x', '/h')).toMatchObject({ location: { hostPort: 'db:5432' } });
  });

  it('takes sqlite:PATH and plain paths as SQLite files', () => {
    expect(storeLocation('sqlite:/var/t/h.db', '/h')).toMatchObject({
      location: { kind: 'sqlite', file: '/var/t/h.db' },
    });
    expect(storeLocation('sqlite:///var/t/h.db', '/h')).toMatchObject({ location: { file: '/var/t/h.db' } });
    expect(storeLocation('/var/t/h.db', '/h')).toMatchObject({
      location: { kind: 'sqlite', file: '/var/t/h.db' },
    });
  });

  it('refuses other schemes and malformed URLs without printing the password', () => {
    const bad = storeLocation('mysql://u:topsecret@h/db', '/h');
    expect(bad.kind).toBe('invalid');
    expect(JSON.stringify(bad)).not.toContain('topsecret');
    expect(bad.kind === 'invalid' && bad.message).toContain('unsupported scheme "mysql:"');
    const malformed = storeLocation('postgres://u:topsecret@h:notaport/db', '/h');
    expect(malformed.kind).toBe('invalid');
    expect(JSON.stringify(malformed)).not.toContain('topsecret');
  });
});

describe('maskUrl', () => {
  it('masks every password in a text, leaves URLs without one alone', () => {
    expect(maskUrl('a postgres://u:pw@h/d and postgresql://v:x%2Fy@h2:1/e')).toBe(
      'a postgres://u:***@h/d and postgresql://v:***@h2:1/e',
    );
    expect(maskUrl('postgres://u@h/d')).toBe('postgres://u@h/d');
  });
});
