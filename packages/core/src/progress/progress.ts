/**
 * Long steps report progress through this callback; the CLI draws bars from it, library users may ignore it.
 * `total` is 0 when unknown.
 */
export type ProgressListener = (event: { stage: string; done: number; total: number }) => void;
