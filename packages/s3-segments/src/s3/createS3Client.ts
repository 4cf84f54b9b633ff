import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { expectInteger } from '@rec/core';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface CreateS3ClientOptions {
  /**
   * Default: the SDK's own chain (`AWS_REGION`, then the region of
   * `AWS_PROFILE` in `~/.aws/config`), as the AWS CLI signs; `us-east-1` when
   * that chain has none (S3-compatible stores ignore it, and AWS redirects
   * requests for a bucket in another region).
   */
  region?: string;
  /** Any S3-compatible endpoint, e.g. `http://127.0.0.1:4568`. */
  endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`), needed by most S3-compatible servers. */
  forcePathStyle?: boolean;
  /** Static credentials; default: the standard AWS credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Sockets per host kept alive; must be at least the download concurrency. Default 64. */
  maxSockets?: number;
  /** SDK attempts per request (1 = no SDK retry). Default 3. */
  maxAttempts?: number;
  /** Milliseconds to establish a connection. Default 3000. */
  connectionTimeout?: number;
  /**
   * Milliseconds an attempt may go without a byte either way (waiting for
   * the answer, or mid-body) before it fails and is retried. Default 5000:
   * S3 answers a GET or a 1,000-key listing page in well under a second,
   * and a 300-400 kB segment never needs a 5-s pause.
   */
  socketTimeout?: number;
}

/** The region used when neither the caller nor the SDK's chain gives one. */
const fallbackRegion = 'us-east-1';

/**
 * An S3 client tuned for many small GETs: keep-alive agents with enough
 * sockets for the download concurrency, timeouts that fit segment-sized
 * requests (so an endpoint that accepts connections and never answers fails
 * in seconds, not minutes), SDK retries, redirects to a bucket's own region,
 * and checksums only when required (S3-compatible servers store stream
 * bodies with the SDK's checksum framing otherwise, and segment ETags are
 * verified by MD5 here anyway).
 */
export function createS3Client(options: CreateS3ClientOptions = {}): S3Client {
  const maxSockets = expectInteger('maxSockets', options.maxSockets ?? 64, 1);
  const maxAttempts = expectInteger('maxAttempts', options.maxAttempts ?? 3, 1);
  const connectionTimeout = expectInteger('connectionTimeout', options.connectionTimeout ?? 3000, 1);
  const socketTimeout = expectInteger('socketTimeout', options.socketTimeout ?? 5000, 1);
  const agentOptions = { keepAlive: true, maxSockets, keepAliveMsecs: 1000 };
  return new S3Client({
    region: options.region ?? regionFromChain(),
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: options.credentials,
    followRegionRedirects: true,
    maxAttempts,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout,
      socketTimeout,
    }),
  });
}

/**
 * The SDK's region provider (what an S3Client built without a region
 * resolves: `AWS_REGION`, then the profile's `region` in the shared config
 * file), read when the first request is signed; `us-east-1` if it has none.
 * Read once per client, the fallback included: the SDK asks for the region
 * several times per request, and a chain that finds none throws (and builds
 * its errors' stacks) each time it is asked, which cost a recording of 720
 * GETs about 0.4 s of CPU.
 */
function regionFromChain(): () => Promise<string> {
  const probe = new S3Client({});
  const chain = probe.config.region;
  probe.destroy();
  let region: Promise<string> | undefined;
  return () => {
    region ??= chain().catch(() => fallbackRegion);
    return region;
  };
}
