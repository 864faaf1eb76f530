import { execFile } from 'node:child_process';

/** An operator command's exit code and lines. */
export interface CommandRun {
  code: number;
  stdout: string[];
  /** The command's own error lines (matching `ownLines`), without npm's or the AWS SDK's warnings. */
  stderr: string[];
}

export const REPO_ROOT = new URL('../..', import.meta.url).pathname;

/** Runs `command ARGS` in `cwd` with `env` over the test's environment. */
export function runCommand(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
  ownLines: RegExp,
): Promise<CommandRun> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const lines = (text: string) => text.split('\n').filter((line) => line !== '');
      resolve({ code: error ? Number(error.code) : 0, stdout: lines(stdout), stderr: lines(stderr).filter((line) => ownLines.test(line)) });
    });
  });
}

/** `npx tsx SCRIPT ARGS` from the repository root. */
export const runScript = (script: string, args: string[], env: Record<string, string | undefined>, ownLines: RegExp) =>
  runCommand('npx', ['tsx', script, ...args], REPO_ROOT, env, ownLines);
