import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface CreateS3ClientOptions {
  region: string;
  /** Any S3-compatible endpoint, e.g. `http://127.0.0.1:4568`. */
  endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`), needed by most S3-compatible servers. */
  forcePathStyle?: boolean;
  /** Static credentials; default: the standard AWS credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Sockets per host kept alive; must be at least the download concurrency. Default 64. */
  maxSockets?: number;
  /** SDK attempts per request (1 = no SDK retry). Default 5. */
  maxAttempts?: number;
  /** Milliseconds to establish a connection. Default 5000. */
  connectionTimeout?: number;
  /** Milliseconds a socket may stay idle mid-request before it fails. Default 30000. */
  socketTimeout?: number;
}

/**
 * An S3 client tuned for many small GETs: keep-alive agents with enough
 * sockets for the download concurrency, SDK retries, and checksums only when
 * required (S3-compatible servers store stream bodies with the SDK's checksum
 * framing otherwise, and segment ETags are verified by MD5 here anyway).
 */
export function createS3Client(options: CreateS3ClientOptions): S3Client {
  const maxSockets = options.maxSockets ?? 64;
  const agentOptions = { keepAlive: true, maxSockets, keepAliveMsecs: 1000 };
  return new S3Client({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.forcePathStyle === undefined ? {} : { forcePathStyle: options.forcePathStyle }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    maxAttempts: options.maxAttempts ?? 5,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: options.connectionTimeout ?? 5000,
      socketTimeout: options.socketTimeout ?? 30_000,
    }),
  });
}
