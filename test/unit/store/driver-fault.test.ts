import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { driverFault } from '../../../src/store/faults.js';
import { tempDir } from '../../helpers/cli.js';

describe('driverFault: a native SQLite driver that does not load in this Node', () => {
  it("turns the loader's own error into one line naming Node and the fix", () => {
    // A real dlopen failure from Node's loader (a .node file that is not a shared object).
    const bad = join(tempDir(), 'not-a-driver.node');
    writeFileSync(bad, 'not an ELF file');
    let loadError: unknown;
    try {
      createRequire(import.meta.url)(bad);
    } catch (err) {
      loadError = err;
    }
    const fault = driverFault(loadError);
    expect(fault?.code).toBe('DRIVER');
    expect(fault?.message).toContain(`does not load in Node.js ${process.version}`);
    expect(fault?.message).toContain('npm rebuild better-sqlite3');
    expect(fault?.message).not.toContain('\n');
  });

  it('names both ABIs for a driver built for another Node (the message Node gives then)', () => {
    const err = Object.assign(
      new Error(
        "The module '/x/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 137. This version of Node.js requires\nNODE_MODULE_VERSION 115.",
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    expect(driverFault(err)?.message).toMatch(
      new RegExp(`built for NODE_MODULE_VERSION 137, this Node needs ${process.versions.modules};`),
    );
  });

  it('leaves every other error alone', () => {
    expect(driverFault(new Error('SQLITE_CORRUPT: database disk image is malformed'))).toBeUndefined();
    expect(driverFault(undefined)).toBeUndefined();
  });
});
