export type * from './span.js';
export type * from './diagnostic.js';
export type * from './expr.js';
export type * from './ast.js';
export type * from './plan.js';
export type * from './result.js';
export type * from './events.js';
export type { CancelReason } from './cancel.js';
export { isCancelReason } from './cancel.js';
