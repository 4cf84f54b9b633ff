import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One multipart upload the stub knows of. */
export interface StubUpload {
  uploadId: string;
  key: string;
  initiated: Date;
  /** Part number -> bytes. */
  parts: Map<number, Buffer>;
  state: 'open' | 'completed' | 'aborted';
}

export interface S3UploadStub {
  /** `http://127.0.0.1:<port>` (path-style: `/<bucket>/<key>`). */
  endpoint: string;
  /** Every upload ever created, by id, whatever became of it. */
  uploads: Map<string, StubUpload>;
  /** Uploads not completed nor aborted: what a bucket would bill for. */
  open(): StubUpload[];
  /** Objects stored (PutObject or a completed upload), by key. */
  objects: Map<string, Buffer>;
  stop(): Promise<void>;
}

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const xmlText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function error(res: ServerResponse, status: number, code: string): void {
  const body = xml(`<Error><Code>${code}</Code><Message>${code}</Message></Error>`);
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function answer(res: ServerResponse, body: string, headers: Record<string, string> = {}): void {
  const text = xml(body);
  res.writeHead(200, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * ListObjectsV2 over the stored keys in S3's order (UTF-8 binary): `prefix`,
 * `start-after`, `max-keys` and a continuation token (the last key listed).
 */
function listObjectsV2(objects: Map<string, Buffer>, bucket: string, query: URLSearchParams): string {
  const prefix = query.get('prefix') ?? '';
  const after = query.get('continuation-token') ?? query.get('start-after') ?? '';
  const maxKeys = Math.min(1000, Number(query.get('max-keys') ?? 1000));
  const keys = [...objects.keys()]
    .filter((key) => key.startsWith(prefix) && Buffer.compare(Buffer.from(key), Buffer.from(after)) > 0)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const page = keys.slice(0, maxKeys);
  const truncated = keys.length > page.length;
  const contents = page
    .map((key) => {
      const object = objects.get(key) as Buffer;
      return `<Contents><Key>${xmlText(key)}</Key><Size>${object.length}</Size><ETag>&quot;${md5(object)}&quot;</ETag><LastModified>2023-11-14T22:13:20.000Z</LastModified></Contents>`;
    })
    .join('');
  const next = truncated
    ? `<NextContinuationToken>${xmlText(page.at(-1) as string)}</NextContinuationToken>`
    : '';
  return `<ListBucketResult><Name>${xmlText(bucket)}</Name><Prefix>${xmlText(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`;
}

/**
 * A small S3 stand-in for the multipart-upload operations s3rver 3.7 lacks
 * (ListMultipartUploads answers NotImplemented there, AbortMultipartUpload
 * 405, and it keeps no record of unfinished uploads): CreateMultipartUpload,
 * UploadPart, CompleteMultipartUpload, AbortMultipartUpload,
 * ListMultipartUploads, plus PutObject/GetObject/HeadObject and
 * ListObjectsV2, for one bucket (`bucket`), path-style. It checks no
 * signature. Keys are kept byte for byte (s3rver rewrites `../` in them and
 * can write outside its directory): the place to test hostile keys. Put the fault server in
 * front of it (`startHttpServer({ upstream })`) to make parts fail.
 */
export async function startS3UploadStub(bucket: string): Promise<S3UploadStub> {
  const uploads = new Map<string, StubUpload>();
  const objects = new Map<string, Buffer>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, name = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const query = url.searchParams;
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (decodeURIComponent(name) !== bucket) return error(res, 404, 'NoSuchBucket');
    const uploadId = query.get('uploadId');
    const upload = uploadId === null ? undefined : uploads.get(uploadId);

    if (key === '' && method === 'GET' && query.has('uploads')) {
      const prefix = query.get('prefix') ?? '';
      const listed = [...uploads.values()]
        .filter((u) => u.state === 'open' && u.key.startsWith(prefix))
        .sort((a, b) =>
          a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiated.getTime() - b.initiated.getTime(),
        );
      return answer(
        res,
        `<ListMultipartUploadsResult><Bucket>${xmlText(bucket)}</Bucket><Prefix>${xmlText(prefix)}</Prefix><IsTruncated>false</IsTruncated>${listed
          .map(
            (u) =>
              `<Upload><Key>${xmlText(u.key)}</Key><UploadId>${u.uploadId}</UploadId><Initiated>${u.initiated.toISOString()}</Initiated></Upload>`,
          )
          .join('')}</ListMultipartUploadsResult>`,
      );
    }
    if (key === '' && method === 'GET' && query.get('list-type') === '2') {
      return answer(res, listObjectsV2(objects, bucket, query));
    }
    if (key === '') return error(res, 501, 'NotImplemented');

    if (method === 'POST' && query.has('uploads')) {
      const id = randomUUID();
      uploads.set(id, { uploadId: id, key, initiated: new Date(), parts: new Map(), state: 'open' });
      return answer(
        res,
        `<InitiateMultipartUploadResult><Bucket>${xmlText(bucket)}</Bucket><Key>${xmlText(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (uploadId !== null) {
      if (upload === undefined || upload.state !== 'open' || upload.key !== key) {
        return error(res, 404, 'NoSuchUpload');
      }
      if (method === 'PUT') {
        upload.parts.set(Number(query.get('partNumber')), body);
        res.writeHead(200, { etag: `"${md5(body)}"`, 'content-length': 0 }).end();
        return;
      }
      if (method === 'DELETE') {
        upload.state = 'aborted';
        res.writeHead(204).end();
        return;
      }
      if (method === 'POST') {
        const numbers = [...body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) =>
          Number(m[1]),
        );
        const parts = numbers.map((n) => upload.parts.get(n));
        if (numbers.length === 0 || parts.some((part) => part === undefined))
          return error(res, 400, 'InvalidPart');
        const object = Buffer.concat(parts as Buffer[]);
        objects.set(key, object);
        upload.state = 'completed';
        const etag = `"${md5(object)}-${parts.length}"`;
        return answer(
          res,
          `<CompleteMultipartUploadResult><Bucket>${xmlText(bucket)}</Bucket><Key>${xmlText(key)}</Key><ETag>${xmlText(etag)}</ETag></CompleteMultipartUploadResult>`,
        );
      }
    }
    if (method === 'PUT') {
      objects.set(key, body);
      res.writeHead(200, { etag: `"${md5(body)}"`, 'content-length': 0 }).end();
      return;
    }
    if (method === 'GET' || method === 'HEAD') {
      const object = objects.get(key);
      if (object === undefined) return error(res, 404, 'NoSuchKey');
      res.writeHead(200, { etag: `"${md5(object)}"`, 'content-length': object.length });
      res.end(method === 'HEAD' ? undefined : object);
      return;
    }
    error(res, 405, 'MethodNotAllowed');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    uploads,
    open: () => [...uploads.values()].filter((u) => u.state === 'open'),
    objects,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((closeError) => (closeError ? reject(closeError) : resolve()));
      }),
  };
}
