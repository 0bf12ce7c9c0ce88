/** Where the CLI writes: injected so tests can capture it. Each call writes one line. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export function processIo(): Io {
  return {
    out: (line) => void process.stdout.write(line.endsWith('\n') ? line : `${line}\n`),
    err: (line) => void process.stderr.write(line.endsWith('\n') ? line : `${line}\n`),
    stdout: process.stdout,
    stderr: process.stderr,
  };
}
