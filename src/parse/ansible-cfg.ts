import { join } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import { decodeText } from './text.js';
import { kindOf, readBounded } from './read.js';

/** ansible.cfg settings that change where or how Ansible connects: tasker does not read them. */
const CONNECTION_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  defaults: ['remote_user', 'remote_port', 'private_key_file', 'host_key_checking', 'transport', 'inventory'],
  ssh_connection: ['ssh_args', 'ssh_common_args', 'ssh_extra_args'],
};

/**
 * An ansible.cfg beside the workflow or the inventory is what Ansible reads when run from there;
 * tasker reads no ansible.cfg, so one that sets connection settings gets a warning naming them.
 */
export async function warnAnsibleCfg(dirs: readonly string[], diagnostics: Diagnostic[]): Promise<void> {
  for (const dir of new Set(dirs)) {
    const file = join(dir, 'ansible.cfg');
    if ((await kindOf(file)) !== 'file') continue;
    const read = await readBounded(file);
    if (read.kind !== 'ok') continue;
    const decoded = decodeText(read.bytes, file);
    if (decoded.kind !== 'ok') continue;
    const found = connectionSettings(decoded.text);
    if (found.length === 0) continue;
    diagnostics.push({
      code: 'inventory',
      severity: 'warning',
      message: `${file} sets ${found.map((f) => f.text).join(', ')}; tasker does not read ansible.cfg, so these do not apply`,
      span: { file, line: found[0]!.line, col: 1, endLine: found[0]!.line, endCol: 1 },
      hint: 'set them as inventory variables (ansible_user, ansible_port, ansible_ssh_private_key_file, ansible_ssh_common_args in group_vars/all) or in ~/.ssh/config',
    });
  }
}

function connectionSettings(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let section = '';
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) return void (section = header[1]!.trim());
    const m = /^([A-Za-z_]+)\s*[=:]\s*(.*)$/.exec(line);
    if (m && CONNECTION_SETTINGS[section]?.includes(m[1]!))
      out.push({ text: `${m[1]}=${m[2]}`, line: i + 1 });
  });
  return out;
}
