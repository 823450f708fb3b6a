import { z } from 'zod';
import { FanoutError } from '../errors/index.ts';
import { Xoshiro128 } from '../random/index.ts';

/** What share of calls fail, run slow or are delivered twice; each drawn independently per attempt. */
export const faultPlanSchema = z
  .object({
    /** Share of attempts that fail with a transient (retryable) error. */
    failure: z.number().min(0).max(1).default(0),
    /** Share of attempts that run `delayFactor` times as long as they took. */
    delay: z.number().min(0).max(1).default(0),
    delayFactor: z.number().min(1).max(1000).default(10),
    /** Share of attempts delivered twice (at-least-once delivery, as Lambda's async retries or S3 events): the
     * duplicate runs too, and the caller gets whichever answer comes first. */
    duplicate: z.number().min(0).max(1).default(0),
    seed: z.number().int().min(0).max(0xffffffff).default(0),
  })
  .strict();

export type FaultPlanInput = z.input<typeof faultPlanSchema>;

export interface FaultCounts {
  attempts: number;
  failures: number;
  delays: number;
  duplicates: number;
}

/** The faults of one attempt. */
interface Draw {
  fail: boolean;
  slow: boolean;
  twice: boolean;
}

/**
 * Draws faults for attempts from a seeded generator, and runs an attempt with them: a failure throws a retryable
 * FanoutError of the given code before the call is made; a delay waits (factor − 1) × the call's own time after it;
 * a duplicate makes the call twice at once.
 */
export class FaultPlan {
  readonly options: z.infer<typeof faultPlanSchema>;
  private readonly random: Xoshiro128;
  readonly counts: FaultCounts = { attempts: 0, failures: 0, delays: 0, duplicates: 0 };

  constructor(input: FaultPlanInput, stream: string) {
    const parsed = faultPlanSchema.safeParse(input);
    if (!parsed.success) {
      throw new FanoutError('INVALID_ARGUMENT', `fault plan: ${parsed.error.issues[0].message}`);
    }
    this.options = parsed.data;
    this.random = new Xoshiro128(this.options.seed, `faults/${stream}`);
  }

  async run<T>(code: 'TRANSPORT_ERROR' | 'STORAGE_ERROR', what: string, call: () => Promise<T>): Promise<T> {
    const draw = this.draw();
    if (draw.fail) throw new FanoutError(code, `injected fault: ${what} failed`);
    const started = performance.now();
    const result = draw.twice ? await Promise.race([call(), call()]) : await call();
    if (draw.slow) {
      const extra = (this.options.delayFactor - 1) * Math.max(1, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, extra));
    }
    return result;
  }

  private draw(): Draw {
    this.counts.attempts++;
    const { failure, delay, duplicate } = this.options;
    // Three draws every time, so one kind of fault never shifts the others' sequence.
    const draw = {
      fail: this.random.nextFloat() < failure,
      slow: this.random.nextFloat() < delay,
      twice: this.random.nextFloat() < duplicate,
    };
    if (draw.fail) this.counts.failures++;
    else {
      if (draw.slow) this.counts.delays++;
      if (draw.twice) this.counts.duplicates++;
    }
    return draw;
  }
}
