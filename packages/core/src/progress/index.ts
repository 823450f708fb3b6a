export type { ProgressListener } from './progress.ts';
