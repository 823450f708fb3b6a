const TAKES_VALUE = new Set(['--cpu-prof-dir', '--cpu-prof-name', '--cpu-prof-interval']);

/**
 * The process's `--cpu-prof*` flags, for the worker threads it starts without its other flags (each thread's entry
 * sets up its own loader): a thread profiles when its process does. A value given as the next argument
 * (`--cpu-prof-dir /tmp/p`) is joined with `=`, the only spelling a Worker's `execArgv` accepts.
 */
export function cpuProfileFlags(execArgv: readonly string[] = process.execArgv): string[] {
  const flags: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i];
    if (!flag.startsWith('--cpu-prof')) continue;
    if (TAKES_VALUE.has(flag) && i + 1 < execArgv.length) flags.push(`${flag}=${execArgv[++i]}`);
    else flags.push(flag);
  }
  return flags;
}
