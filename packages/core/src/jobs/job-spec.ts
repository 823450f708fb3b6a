import { z } from 'zod';
import { FanoutError } from '../errors/index.ts';
import { assertValidKey } from '../storage/index.ts';

/** Where job specs are written: `raw/<graph>/job.json`. */
export const JOB_KEY = /^raw\/([^/]+)\/job\.json$/;

const inputKey = z.string().refine(
  (key) => {
    try {
      assertValidKey(key.replace(/\/+$/, ''));
      return true;
    } catch {
      return false;
    }
  },
  { message: "a key or prefix inside the bucket, without '..' or a leading '/'" },
);

/** A partition job, as `fanout partition` takes it: the input inside the bucket and the partitioning options. */
export const jobSpecSchema = z
  .object({
    input: inputKey,
    format: z.enum(['ogb', 'snap', 'arrow']),
    parts: z.number().int().min(1).max(4096),
    method: z.enum(['random', 'multilevel']).default('multilevel'),
    undirected: z.boolean().default(false),
    balance: z.enum(['nodes', 'edges', 'train']).default('nodes'),
    imbalance: z.number().min(1).max(2).optional(),
    seed: z.number().int().min(0).max(0xffffffff).default(0),
    /** OGB split scheme. */
    split: z.string().optional(),
  })
  .strict();

export type JobSpec = z.infer<typeof jobSpecSchema>;

export function parseJobSpec(text: string, source: string): JobSpec {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FanoutError('INVALID_INPUT', `${source}: not JSON: ${(error as Error).message}`);
  }
  const parsed = jobSpecSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FanoutError('INVALID_INPUT', `${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
