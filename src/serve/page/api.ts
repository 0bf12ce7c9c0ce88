/** The page's side of the API: the bearer token (from the URL fragment, kept in sessionStorage) on every call. */
const TOKEN_KEY = 'tasker-serve-token';

export class Unauthorized extends Error {}

/** `#token=…` in the address moves to sessionStorage and out of the address bar (and history). */
export function captureToken(): void {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!m) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]!));
  history.replaceState(history.state, '', location.pathname + location.search);
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

function headers(): Record<string, string> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: headers(), signal: signal ?? null, credentials: 'omit' });
  if (res.status === 401) throw new Unauthorized('token required');
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `${res.status} ${res.statusText}`);
  return body;
}

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Server-Sent Events over fetch (EventSource cannot send the Authorization header). Reconnects after
 * a dropped connection until `signal` aborts.
 */
export async function followEvents(
  path: string,
  onEvent: (e: SseEvent) => void,
  signal: AbortSignal,
  onUnauthorized: () => void,
): Promise<void> {
  while (!signal.aborted) {
    try {
      const res = await fetch(path, { headers: { ...headers(), Accept: 'text/event-stream' }, signal });
      if (res.status === 401) return onUnauthorized();
      if (!res.ok || !res.body) throw new Error(`${res.status}`);
      await readEvents(res.body, onEvent);
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (e: SseEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const e = parseBlock(block);
      if (e) onEvent(e);
    }
  }
}

function parseBlock(block: string): SseEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return data.length ? { event, data: data.join('\n') } : undefined;
}
