/** The generated tests, shard 3 of SHARDS (test/generated/shard.ts). */
import { runShard } from './shard.ts';

await runShard(2);
