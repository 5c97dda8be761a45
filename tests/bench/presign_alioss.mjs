// Presigns the benchmark request N times with ali-oss's signatureUrlV4; prints `URLS_PER_SEC <n>`.
import OSS from 'ali-oss';

const count = Number(process.argv[2] ?? 100000);
const client = new OSS({
  region: 'oss-cn-hangzhou',
  accessKeyId: 'LTAI5tBenchmarkKeyId',
  accessKeySecret: 'benchmark-secret-not-real',
  bucket: 'examplebucket',
  authorizationV4: true,
});
const started = process.hrtime.bigint();
for (let i = 0; i < count; i += 1) {
  await client.signatureUrlV4('GET', 3600, undefined, 'photos/2026/holiday/IMG_0042.jpg');
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(`URLS_PER_SEC ${Math.round(count / seconds)}`);
