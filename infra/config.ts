/**
 * Deployment settings, each with its reason. Fanout's code reads only what these become (environment variables), so
 * changing one here and redeploying is all a change takes.
 */

/** Where partitioned graphs live in the bucket, and where raw inputs and job specs are written. */
export const GRAPHS_PREFIX = 'graphs';
export const RAW_PREFIX = 'raw';

/**
 * K, the hop function pool: each function's containers cache only the partitions the pool map gives it (by bytes), so
 * K × memory should hold the graph's structure. 4 × 3 GB fits graphs of a few GB of CSC; raise K for larger ones.
 */
export const HOP_FUNCTIONS = 4;

/**
 * 3008 MB: the cache budget is 60 % of memory (≈ 1.8 GB of partitions per container), and Lambda's CPU share grows
 * with memory (1769 MB is one full vCPU), which the sampling loop uses.
 */
export const HOP_MEMORY = '3008 MB';
/** Warm hops take milliseconds; 30 s bounds a cold start that loads a multi-GB partition from S3. */
export const HOP_TIMEOUT = '30 seconds';

/** 1769 MB is one full vCPU for merging and compaction; the API holds batch state, not partitions. */
export const API_MEMORY = '1769 MB';
/** API Gateway's HTTP API stops waiting at 30 s; the function gives up just before. */
export const API_TIMEOUT = '29 seconds';

/**
 * Partitioning holds the whole graph plus the multilevel hierarchy (≈ 6–10× the CSR): the largest Lambda (10 GB,
 * 6 vCPU) and its longest run (15 min) fit graphs of about 60 M arcs; larger ones partition with the CLI on a VM.
 */
export const JOB_MEMORY = '10240 MB';
export const JOB_TIMEOUT = '15 minutes';

/** Node 22, Lambda's current LTS runtime (the code also runs on Node 20). */
export const RUNTIME = 'nodejs22.x';

/** The CRC32C module is native; Lambda installs it for its own platform instead of esbuild bundling it. */
export const NODEJS = { install: ['@node-rs/crc32'] };
