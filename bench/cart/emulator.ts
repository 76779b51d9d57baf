/**
 * Child process: the service's embedded DynamoDB emulator (dynalite, in memory) on 127.0.0.1 and a free port,
 * in a process of its own so that its CPU and memory are never mixed with the service's or the load
 * generator's. Prints `{"endpoint": ...}` once listening; SIGTERM closes it.
 */
import { startEmbeddedDynamoDb } from '../../service/src/embedded-dynamodb.js';

void startEmbeddedDynamoDb().then((emulator) => {
  console.log(JSON.stringify({ endpoint: emulator.endpoint }));
  process.once('SIGTERM', () => void emulator.stop().then(() => process.exit(0)));
});
