export { readArrowTables } from './arrow-tables.ts';
export { type InputFile, inputFile, readChunks } from './byte-source.ts';
export { type IngestOptions, type InputFormat, ingestGraph } from './ingest.ts';
export { readOgb } from './ogb.ts';
export { readSnap } from './snap.ts';
export { symmetrize } from './symmetrize.ts';
export { type FloatRows, parseFloatRows, parseIntTable } from './text-tables.ts';
