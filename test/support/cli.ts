import { execFile } from 'node:child_process';
import { readEnvironment } from '../../shared/config';

/** An operator command's exit code and lines. */
export interface CommandRun {
  code: number;
  stdout: string[];
  /** The command's own error lines (matching `ownLines`), without npm's or the AWS SDK's warnings. */
  stderr: string[];
}

export const REPO_ROOT = new URL('../..', import.meta.url).pathname;

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

/**
 * Runs `command ARGS` in `cwd` with `env` over the test's environment: the one smoke test per npm script that
 * really spawns it (everything else calls the command's `run…` function in process, see runInProcess).
 */
export function runCommand(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
  ownLines: RegExp,
): Promise<CommandRun> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...readEnvironment(), ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout: lines(stdout), stderr: lines(stderr).filter((line) => ownLines.test(line)) });
    });
  });
}

/** What an operator command writes: lines to standard output and error, and raw text (a CSV) to standard output. */
export interface CommandOutput {
  log(line: string): void;
  error(line: string): void;
  write(text: string): void;
}

/** An operator command's entry point: `(argv, environment, output) => exit code`, as its script's main calls it. */
export type CommandMain = (args: readonly string[], env: Record<string, string | undefined>, out: CommandOutput) => Promise<number>;

/**
 * Runs a command in this process with exactly `env` as its environment, as its npm script would run it: the same
 * exit code, and every line it writes (nothing to filter out: no npm or SDK warnings get in).
 */
export async function runInProcess(
  main: CommandMain,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<CommandRun & { text: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let text = '';
  const code = await main(args, env, {
    log: (line) => stdout.push(...lines(line)),
    error: (line) => stderr.push(...lines(line)),
    write: (chunk) => {
      text += chunk;
    },
  });
  return { code, stdout, stderr, text };
}
