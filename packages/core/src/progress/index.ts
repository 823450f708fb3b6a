export { type ProgressListener, silentProgress } from './progress.ts';
