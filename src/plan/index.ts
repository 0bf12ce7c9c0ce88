export { buildPlan, type PlanOptions } from './build-plan.js';
export { walkPlan } from './walk.js';
