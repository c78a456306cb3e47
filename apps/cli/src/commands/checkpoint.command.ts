import { CheckpointService } from '@app/audit';
import type { CliRuntime } from '../cli-runtime';

/** `checkpoint`: signs a Merkle checkpoint over the log as it stands (no-op when it has not grown). */
export async function checkpointCommand(rt: CliRuntime): Promise<number> {
  const { checkpoint, created } = await new CheckpointService(rt.store, rt.checkpoints, rt.key, rt.clock).create();
  if (!checkpoint) {
    console.log(JSON.stringify({ created: false, reason: 'the log is empty' }));
    return 0;
  }
  const { publicKey: _publicKey, ...shown } = checkpoint;
  console.log(JSON.stringify({ created, checkpoint: shown }, null, 2));
  return 0;
}
