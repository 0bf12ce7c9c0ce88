import { describe, expect, it } from 'vitest';
import { readsOutputFiles } from '../../../src/run/file-refs.js';
import { cmd, ex, plan } from './plan-builders.js';

describe('readsOutputFiles', () => {
  it('is false when no expression reads a file path, even if stdout and stdout_bytes are read', () => {
    const p = plan([
      cmd('a', 'a'),
      cmd('b', 'b', { spec: { success: ex('steps.a.stdout_bytes > 0 && stdout != ""') } }),
    ]);
    expect(readsOutputFiles(p)).toBe(false);
  });

  it('is true for steps.<id>.stdout_file or .stderr_file anywhere in the plan, however deep', () => {
    const reads = (field: string) =>
      plan([cmd('a', 'a'), cmd('b', 'b', { spec: { success: ex(`exit == 0 && steps.a.${field} != ""`) } })]);
    expect(readsOutputFiles(reads('stdout_file'))).toBe(true);
    expect(readsOutputFiles(reads('stderr_file'))).toBe(true);
  });
});
