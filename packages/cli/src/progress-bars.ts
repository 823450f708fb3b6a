import type { ProgressListener } from '@fanout/core';
import { MultiBar, Presets } from 'cli-progress';

/**
 * Progress bars on stderr, one per stage, drawn from core's progress events; stdout stays free for results. Off when
 * stderr is not a terminal (CI logs, pipes) or with --quiet.
 */
export class ProgressBars {
  private readonly multibar?: MultiBar;
  private readonly bars = new Map<string, ReturnType<MultiBar['create']>>();

  constructor(enabled: boolean) {
    if (enabled && process.stderr.isTTY) {
      this.multibar = new MultiBar(
        {
          stream: process.stderr,
          format: ' {stage} |{bar}| {percentage}% | {value}/{total} | {duration_formatted}',
          hideCursor: true,
          clearOnComplete: false,
        },
        Presets.shades_classic,
      );
    }
  }

  readonly listener: ProgressListener = ({ stage, done, total }) => {
    if (!this.multibar) return;
    let bar = this.bars.get(stage);
    if (!bar) {
      bar = this.multibar.create(Math.max(total, 1), 0, { stage: stage.padEnd(16) });
      this.bars.set(stage, bar);
    }
    if (total > 0) bar.setTotal(total);
    bar.update(done);
  };

  stop(): void {
    this.multibar?.stop();
  }
}
