import { h } from './dom.js';

/** What a view may do beyond its own element: navigate, or give up with an error (401 asks for the token). */
export interface ViewContext {
  go: (path: string) => void;
  fail: (err: unknown) => void;
}

export function header(...crumbs: (Node | string)[]): HTMLElement {
  return h('header', null, h('a', { href: '/', class: 'brand' }, 'tasker'), ...crumbs.map((c) => [' / ', c]));
}

export function badge(status: string): HTMLElement {
  return h('span', { class: `badge st-${status}` }, status);
}
