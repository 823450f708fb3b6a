/** Object keys of partition format v1, relative to the directory that holds the manifest. */
export const MANIFEST_KEY = 'manifest.json';
export const idsKey = (ntype: string) => `ids.${ntype}.arrow`;
export const graphKey = (part: number, etype: string) => `part-${part}/graph.${etype}.arrow`;
export const nodeFeatsKey = (part: number, ntype: string) => `part-${part}/node_feats.${ntype}.arrow`;
export const edgeFeatsKey = (part: number, etype: string) => `part-${part}/edge_feats.${etype}.arrow`;
