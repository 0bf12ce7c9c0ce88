/** Builds DOM nodes; text is only ever set as text (never parsed as HTML), so output cannot inject markup. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

export interface Props {
  class?: string;
  href?: string;
  title?: string;
  id?: string;
  type?: string;
  value?: string;
  placeholder?: string;
  name?: string;
  data?: Readonly<Record<string, string>>;
  onclick?: (e: MouseEvent) => void;
  oninput?: (e: Event) => void;
  onchange?: (e: Event) => void;
  onsubmit?: (e: SubmitEvent) => void;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) applyProps(el, props);
  append(el, children);
  return el;
}

function applyProps(el: HTMLElement, p: Props): void {
  if (p.class) el.className = p.class;
  if (p.title !== undefined) el.title = p.title;
  if (p.id) el.id = p.id;
  for (const key of ['href', 'type', 'value', 'placeholder', 'name'] as const) {
    const v = p[key];
    if (v !== undefined) el.setAttribute(key, v);
  }
  if (p.value !== undefined && 'value' in el) (el as HTMLInputElement).value = p.value;
  for (const [k, v] of Object.entries(p.data ?? {})) el.dataset[k] = v;
  if (p.onclick) el.addEventListener('click', p.onclick);
  if (p.oninput) el.addEventListener('input', p.oninput);
  if (p.onchange) el.addEventListener('change', p.onchange);
  if (p.onsubmit) el.addEventListener('submit', p.onsubmit);
}

function append(parent: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c as readonly Child[]);
    else
      parent.appendChild(
        c instanceof Node ? c : document.createTextNode(typeof c === 'string' ? c : String(c as number)),
      );
  }
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}
