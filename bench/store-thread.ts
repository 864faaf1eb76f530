import { Worker } from 'node:worker_threads';

/**
 * dynalite in a thread of its own, as DynamoDB is a service of its own on AWS: the measured thread does only its own
 * work (for the fan-out: reading, opening numbers, the SDK's calls), not the store's too.
 */
export async function startStoreThread(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const server = require('dynalite')({ createTableMs: 0 });
     server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));`,
    { eval: true },
  );
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: async () => void (await worker.terminate()) };
}
