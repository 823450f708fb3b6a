import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { cpuProfileFlags } from './profiling-flags.ts';

describe('cpuProfileFlags', () => {
  it('keeps only the profiling flags, joining values given as the next argument', () => {
    const argv = ['--import', 'tsx', '--cpu-prof', '--cpu-prof-dir', '/tmp/p', '--cpu-prof-interval=500', '--inspect'];
    assert.deepEqual(cpuProfileFlags(argv), ['--cpu-prof', '--cpu-prof-dir=/tmp/p', '--cpu-prof-interval=500']);
    assert.deepEqual(cpuProfileFlags(['--import', 'tsx']), []);
  });

  it('gives a worker thread flags it accepts, so it writes its profile where the process would', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fanout-cpu-prof-'));
    try {
      const execArgv = cpuProfileFlags(['--cpu-prof', '--cpu-prof-dir', dir]);
      const worker = new Worker('let x = 0; for (let i = 0; i < 1e5; i++) x += i;', { eval: true, execArgv });
      assert.equal(await new Promise((resolve) => worker.once('exit', resolve)), 0);
      const files = await readdir(dir);
      assert.equal(files.filter((f) => f.endsWith('.cpuprofile')).length, 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
