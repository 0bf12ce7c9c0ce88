import { describe, expect, it } from 'vitest';
import type { PlanNode } from '../../../src/model/plan.js';
import { parseWorkflowText } from '../../../src/parse/index.js';
import { walkPlan } from '../../../src/model/plan-walk.js';
import { buildPlan } from '../../../src/plan/index.js';

function planOf(text: string) {
  const parsed = parseWorkflowText(text, 'flow.yaml');
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return buildPlan(parsed.workflow!);
}

function secrets(text: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  walkPlan(planOf(text).plan!.root, (n: PlanNode) => {
    if (n.kind === 'command') out[n.id] = n.spec.sudoPasswordSecret;
  });
  return out;
}

describe('sudo_password', () => {
  it('names the secret per step, from defaults (inner block wins), and only for sudo steps', () => {
    const text = `version: 1
secrets: [A, B]
defaults: { sudo_password: A }
steps:
  - { id: wf, run: x, sudo: true }
  - { id: own, run: x, sudo: app, sudo_password: B }
  - { id: plain, run: x }
  - steps:
      - { id: inner, run: x, sudo: true }
    defaults: { sudo_password: B }
`;
    expect(secrets(text)).toEqual({ wf: 'A', own: 'B', plain: undefined, inner: 'B' });
  });

  it('is unknown-secret when the name is not in secrets, with a did-you-mean or the fix', () => {
    const r = planOf(`version: 1
secrets: [SUDO_PASSWORD]
defaults: { sudo_password: SUDO_PASWORD }
steps:
  - { run: x, sudo: true, sudo_password: ROOT_PW }
`);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.message, d.hint])).toEqual([
      [
        'unknown-secret',
        '`defaults.sudo_password` names "SUDO_PASWORD", which is not listed in `secrets`',
        'did you mean "SUDO_PASSWORD"?',
      ],
      [
        'unknown-secret',
        '`sudo_password` names "ROOT_PW", which is not listed in `secrets`',
        'add it to `secrets: [ROOT_PW]` and export it when running',
      ],
    ]);
  });

  it('is not accepted on a copy step', () => {
    const parsed = parseWorkflowText(
      'version: 1\nsecrets: [A]\nsteps:\n  - { copy: { src: a, dest: b }, sudo_password: A }\n',
      'flow.yaml',
    );
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['key-not-allowed']);
  });
});
