// Entry of a hop-function worker thread. Workers start without the parent's loader flags, so the TypeScript sources
// are loaded through tsx's API here, whatever way the parent process was started.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
