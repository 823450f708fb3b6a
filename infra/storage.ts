/** The data bucket: raw inputs and job specs under raw/, partitioned graphs under graphs/. */
export const bucket = new sst.aws.Bucket('Data');
