import { runDistributedDemo } from './distributed';

const redisUrl = process.env.CACHE_REDIS_URL ?? 'redis://127.0.0.1:6379';

runDistributedDemo({ redisUrl, prefix: process.env.CACHE_PREFIX }, (line) => console.log(line)).catch((error: unknown) => {
  console.error(String(error));
  process.exitCode = 1;
});
