export { LOCAL_S3_CREDENTIALS, type LocalS3Options, type LocalS3Server, startLocalS3 } from './s3-server.ts';
