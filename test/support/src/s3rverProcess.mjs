// Child process that runs s3rver. It runs under `node --openssl-legacy-provider`
// because s3rver encrypts ListObjectsV2 continuation tokens with DES, which
// OpenSSL 3 refuses otherwise. It reports its port over IPC and exits when the
// parent goes away, so a crashed test run leaves no server behind.
import S3rver from 's3rver';

const [directory] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
const { port } = await server.run();
process.send?.({ port });
process.on('disconnect', () => {
  void server.close().finally(() => process.exit(0));
});
