/**
 * Real git repositories in temporary folders for the git tests, and the built CLI run in them.
 * Git is isolated from the machine's own configuration, and commits are made by a fixed author.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '../../../..');
export const CLI = path.join(ROOT, 'dist/cli.js');
/** Random-looking values the scanner reports under secret-like names. */
export const SECRET = 'Zq8vL2mN4pR7tX1yB5cD9fG3hJ6k';
export const OTHER = 'Hq2Lm9Pz4Rt8Vw1Xy5Bc3Dn6Fh7';
export const THIRD = 'Wd7Kx2Qp9Ls4Bn6Tv1Yc8Rm3Gz5';

export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Ada Lovelace',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Lovelace',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
  GIT_AUTHOR_DATE: '2024-05-01T12:00:00+00:00',
  GIT_COMMITTER_DATE: '2024-05-01T12:00:00+00:00',
};

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function ensureCli(): void {
  if (!fs.existsSync(CLI)) spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'ignore' });
}

export class Repo {
  readonly dir: string;

  constructor(prefix = 'akg-git-') {
    this.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    this.git('init', '-q', '-b', 'main');
  }

  git(...args: string[]): string {
    const result = spawnSync('git', args, { cwd: this.dir, env: GIT_ENV, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  write(file: string, content: string | Buffer): void {
    fs.mkdirSync(path.dirname(path.join(this.dir, file)), { recursive: true });
    fs.writeFileSync(path.join(this.dir, file), content);
  }

  /** Writes the files, stages everything and commits; returns the new commit's id. */
  commit(message: string, files: Record<string, string | Buffer> = {}): string {
    for (const [file, content] of Object.entries(files)) this.write(file, content);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  cli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
    return run(process.execPath, [CLI, ...args], { cwd: options.cwd ?? this.dir, env: options.env ?? GIT_ENV });
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Run {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? GIT_ENV, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `file:line ruleId` of each text line, the commit prefix kept: what most assertions compare. */
export function places(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [where = '', ruleId = ''] = line.split(' ');
      return `${where.replace(/:\d+$/, '')} ${ruleId}`;
    });
}
