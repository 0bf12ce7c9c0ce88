/** TASKER task `N` is the step `tN`: the one place this convention is written. */
export const stepIdOf = (id: number): string => `t${id}`;

const STEP_ID = /^t(\d+)$/;

/** The task id a step id stands for, or undefined for tasker's own steps (gap markers, branch wrappers). */
export function taskIdOf(stepId: string): number | undefined {
  const m = STEP_ID.exec(stepId);
  return m ? Number(m[1]) : undefined;
}

/** The step id of a task id written by a user (`--start-from 3`), or undefined when it is not a task id. */
export function stepIdOfText(text: string): string | undefined {
  const t = text.trim();
  return /^\d+$/.test(t) ? stepIdOf(Number(t)) : undefined;
}
