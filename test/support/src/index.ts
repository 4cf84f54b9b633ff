export * from './encode.js';
export * from './ffmpeg.js';
export * from './fixtures.js';
export * from './httpServer.js';
export { findRedisServer } from './redisBinary.js';
export * from './redisServer.js';
export * from './s3Server.js';
export * from './s3UploadStub.js';
export * from './tempDir.js';
