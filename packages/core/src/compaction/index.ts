export { type Compacted, rankOf, type UniqueAndCompactOptions, uniqueAndCompact } from './unique-and-compact.ts';
