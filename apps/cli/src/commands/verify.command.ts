import { VerificationService } from '@app/audit';
import type { CliRuntime } from '../cli-runtime';
import { intOption, stringOption } from '../cli-args';

/** `verify [--from N] [--to N] [--stream ID]`: exit 0 when intact, 1 naming the first bad event. */
export async function verifyCommand(rt: CliRuntime, args: string[]): Promise<number> {
  const service = new VerificationService(rt.store, rt.checkpoints, rt.config.ledgerAlgorithm, rt.config.eventStore === 'postgres');
  const result = await service.verify({ fromPosition: intOption(args, '--from'), toPosition: intOption(args, '--to'), streamId: stringOption(args, '--stream') });
  console.log(JSON.stringify(result, null, 2));
  if (!result.ok && result.firstBad) {
    console.error(`TAMPERED: ${result.firstBad.reason} at position ${result.firstBad.position}: ${result.firstBad.detail}`);
  }
  return result.ok ? 0 : 1;
}
