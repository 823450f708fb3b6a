/** @fanout/core: the engine's public surface. */

export * from './api/index.ts';
export * from './compaction/index.ts';
export * from './errors/index.ts';
export * from './faults/index.ts';
export * from './features/index.ts';
export * from './format/index.ts';
export * from './generate/index.ts';
export * from './graph/index.ts';
export * from './hop-function/index.ts';
export * from './ids/index.ts';
export * from './ingest/index.ts';
export * from './jobs/index.ts';
export * from './links/index.ts';
export * from './loader/index.ts';
export * from './local/index.ts';
export * from './partition/index.ts';
export * from './progress/index.ts';
export * from './random/index.ts';
export * from './sampling/index.ts';
export * from './storage/index.ts';
export * from './transport/index.ts';
