import { describe, expect, it } from 'vitest';
import { baseId, displayName, failedStepLabel, instanceLabel } from '../../../src/model/labels.js';
import { runResult, stepResult } from '../store/helpers.js';

describe('step labels: what the user calls a step', () => {
  it('an id the file wrote stays the id; a path id gives way to the step name (its place)', () => {
    expect(displayName('deploy', 'Deploy the app')).toBe('deploy');
    expect(displayName('steps.1.then.0', 'steps[2] then[1]')).toBe('steps[2] then[1]');
    expect(displayName('finally.0', 'finally[1]')).toBe('finally[1]');
    expect(displayName('steps.0', 'Migrate the database')).toBe('Migrate the database');
    // No name known (an old record): the id is all there is.
    expect(displayName('steps.0', undefined)).toBe('steps.0');
  });

  it('adds the host once, and strips it back', () => {
    expect(instanceLabel('check', 'web1')).toBe('check@web1');
    expect(instanceLabel('check@web1', 'web1')).toBe('check@web1');
    expect(instanceLabel('check', undefined)).toBe('check');
    expect(baseId('check@web1', 'web1')).toBe('check');
  });

  it("names a run's failed step from the run's own results", () => {
    const steps = [
      stepResult('steps.0', { name: 'steps[1]' }),
      stepResult('steps.1.then.1', { name: 'steps[2] then[2]', status: 'failed' }),
    ];
    expect(failedStepLabel(runResult('r', { steps, failedStep: 'steps.1.then.1' }))).toBe('steps[2] then[2]');
    expect(failedStepLabel(runResult('r', { steps }))).toBeUndefined();
  });
});
