/**
 * Which front end reads a file, by content: a YAML mapping with `version:` or `steps:` is YAML;
 * `task=` / `key=value` lines are a TASKER task file.
 */
export function detectFormat(text: string): 'yaml' | 'tasker' {
  let sawKeyValue = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line === '---') continue;
    if (/^(version|steps)\s*:/.test(line)) return 'yaml';
    if (/^task\s*=/.test(line)) return 'tasker';
    if (/^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line) || /^--?[A-Za-z]/.test(line)) sawKeyValue = true;
    else if (/^[A-Za-z_][\w-]*\s*:/.test(line) && !sawKeyValue) return 'yaml';
  }
  return sawKeyValue ? 'tasker' : 'yaml';
}
