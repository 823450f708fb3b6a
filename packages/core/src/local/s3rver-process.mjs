// Runs s3rver in its own process. It must be started with `node --openssl-legacy-provider`: s3rver encrypts its
// list continuation tokens with DES, which OpenSSL 3 only offers through the legacy provider. It reports on stdout,
// one JSON document per line: {"listening":{"port":…}} once, then {"event":…} per S3 notification.
import S3rver from 's3rver';

const options = JSON.parse(process.argv[2]);
const server = new S3rver({
  address: '127.0.0.1',
  port: options.port,
  directory: options.directory,
  silent: true,
  configureBuckets: options.buckets.map((name) => ({ name })),
});
server.on('event', (event) => process.stdout.write(`${JSON.stringify({ event })}\n`));
const address = await server.run();
process.stdout.write(`${JSON.stringify({ listening: { port: address.port } })}\n`);
const stop = () => server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
