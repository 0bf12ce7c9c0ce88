/** POSIX shell-word splitting as Python's `shlex.split` does it; undefined on an unclosed quote. */
export function shlexSplit(text: string): string[] | undefined {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | '' = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'") {
      if (ch === "'") quote = '';
      else cur += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = '';
      else if (ch === '\\' && i + 1 < text.length && '\\"$`\n'.includes(text[i + 1]!)) cur += text[++i];
      else cur += ch;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      inWord = true;
      if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '\\' && i + 1 < text.length) cur += text[++i];
      else cur += ch;
    }
  }
  if (quote) return undefined;
  if (inWord) words.push(cur);
  return words;
}
