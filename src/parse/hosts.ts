import { isMap, type Node } from 'yaml';
import type { AstGroup, AstHost } from '../model/ast.js';
import type { Span } from '../model/span.js';
import { spanOf, type ParseContext } from './context.js';
import { readEnv } from './env.js';
import { decodeFields, type FieldTable } from './fields.js';
import { asMap, asSeq, entries, isNull, knownEntries, wrongType } from './nodes.js';
import { readInt, readString } from './scalars.js';

type HostFields = Omit<AstHost, 'name' | 'span'>;

const HOST_FIELDS: FieldTable<HostFields> = {
  address: (ctx, e, out) => (out.address = readString(ctx, e.value, e.keySpan, '`address`', true)),
  user: (ctx, e, out) => (out.user = readString(ctx, e.value, e.keySpan, '`user`', true)),
  port: (ctx, e, out) => (out.port = readInt(ctx, e.value, e.keySpan, '`port`', { min: 1, max: 65535 })),
  key: (ctx, e, out) => (out.key = readString(ctx, e.value, e.keySpan, '`key`')),
  proxy_jump: (ctx, e, out) => (out.proxyJump = readString(ctx, e.value, e.keySpan, '`proxy_jump`')),
  fingerprint: (ctx, e, out) => (out.fingerprint = readString(ctx, e.value, e.keySpan, '`fingerprint`')),
  vars: (ctx, e, out) => (out.vars = readEnv(ctx, e.value, e.keySpan, '`vars`')),
};

/** `hosts:` name → { address, user, port, key, proxy_jump, fingerprint, vars }, or empty for ssh_config. */
export function readHosts(ctx: ParseContext, node: Node | undefined, at: Span): AstHost[] {
  const list = asMap(ctx, node, at, '`hosts`');
  if (!list) return [];
  return list.flatMap((e): AstHost[] => {
    const name = { value: e.key, span: e.keySpan };
    const span = spanOf(ctx, e.value ?? null);
    if (isNull(e.value)) return [{ name, vars: [], span: e.keySpan }];
    if (!isMap(e.value)) {
      wrongType(ctx, e.value, e.keySpan, `host "${e.key}"`, 'a mapping (or empty)');
      return [];
    }
    const out: HostFields = { vars: [] };
    const fields = knownEntries(ctx, entries(ctx, e.value), Object.keys(HOST_FIELDS), `host "${e.key}"`);
    decodeFields(ctx, fields, HOST_FIELDS, out);
    return [{ ...out, name, span }];
  });
}

/** `groups:` name → list of host or group names. */
export function readGroups(ctx: ParseContext, node: Node | undefined, at: Span): AstGroup[] {
  const list = asMap(ctx, node, at, '`groups`');
  if (!list) return [];
  return list.flatMap((e): AstGroup[] => {
    const members = asSeq(ctx, e.value, e.keySpan, `group "${e.key}"`);
    if (!members) return [];
    const names = members.flatMap(
      (m) => readString(ctx, m, e.keySpan, `each member of group "${e.key}"`) ?? [],
    );
    return [{ name: { value: e.key, span: e.keySpan }, members: names, span: spanOf(ctx, e.value ?? null) }];
  });
}
