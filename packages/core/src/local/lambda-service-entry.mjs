// Entry of the local Lambda service thread: workers start without the parent's loader flags, so the TypeScript
// sources are loaded through tsx's API here.
import { register } from 'tsx/esm/api';

register();
await import('./lambda-service-main.ts');
