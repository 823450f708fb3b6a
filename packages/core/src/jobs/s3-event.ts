import { z } from 'zod';

const recordSchema = z.object({
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), eTag: z.string().optional() }),
  }),
});
const eventSchema = z.object({ Records: z.array(z.unknown()) });

export interface CreatedObject {
  bucket: string;
  key: string;
  etag?: string;
}

/**
 * The objects an S3 event notification reports created. Keys arrive URL-encoded with '+' for spaces, as S3 sends
 * them; records of other events, or of shapes this does not know, are skipped.
 */
export function createdObjects(event: unknown): CreatedObject[] {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) return [];
  const out: CreatedObject[] = [];
  for (const raw of parsed.data.Records) {
    const record = recordSchema.safeParse(raw);
    if (!record.success || !record.data.eventName.startsWith('ObjectCreated:')) continue;
    const { bucket, object } = record.data.s3;
    out.push({ bucket: bucket.name, key: decodeURIComponent(object.key.replace(/\+/g, ' ')), etag: object.eTag });
  }
  return out;
}
