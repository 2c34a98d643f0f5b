/** The generated tests, shard 1 of SHARDS (test/generated/shard.ts). */
import { runShard } from './shard.ts';

await runShard(0);
