import { chmod, copyFile, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { listFiles, sha256File, type FilePlan } from './copy-files.js';
import { ExecError, type CopyOutcome, type CopyRequest } from './types.js';

/** A local `copy`: the same contract as the SFTP copy (files whose size and sha256 match are left alone). */
export async function copyLocal(req: CopyRequest): Promise<CopyOutcome> {
  const files = await listFiles(req.src, req.dest);
  const outcome: CopyOutcome = { changed: false, files: 0, bytes: 0 };
  for (const f of files) {
    if (req.signal.aborted)
      throw new ExecError('copy', `local copy was cancelled after ${outcome.files} file(s)`);
    const current = await stat(f.remote).catch(() => undefined);
    if (current?.isDirectory())
      throw new ExecError(
        'copy',
        `copy destination ${f.remote} is a directory; end dest with / to copy into it`,
      );
    const same = current?.size === f.size && (await sha256File(f.remote)) === f.sha256;
    if (same) {
      if (req.mode === undefined || (current.mode & 0o7777) === req.mode) continue;
      await chmod(f.remote, req.mode).catch((e: unknown) => fail(f, e));
    } else {
      await writeFile(f, req.mode);
      outcome.files++;
      outcome.bytes += f.size;
    }
    outcome.changed = true;
  }
  return outcome;
}

async function writeFile(f: FilePlan, mode: number | undefined): Promise<void> {
  try {
    await mkdir(dirname(f.remote), { recursive: true });
    await copyFile(f.local, f.remote);
    if (mode !== undefined) await chmod(f.remote, mode);
  } catch (e) {
    fail(f, e);
  }
}

function fail(f: FilePlan, cause: unknown): never {
  const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
  throw new ExecError('copy', `cannot write ${f.remote} (${code}); check the dest path and its permissions`, {
    cause,
  });
}
