/** The generated tests, shard 2 of SHARDS (test/generated/shard.ts). */
import { runShard } from './shard.ts';

await runShard(1);
