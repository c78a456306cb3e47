import { readFileSync } from 'node:fs';
import { verifyBulletinReply } from '@app/governance';
import { stringOption, UsageError } from '../cli-args';

const read = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
};

/**
 * `verify-bulletin <file> [--key <public key PEM file>]`: checks a saved GET /bulletins/{period}
 * reply with nothing but the file: no database, no network, no configuration. Exit 0 when the seal
 * holds and every number follows from the bulletin's counts; 1 naming what failed. With --key the
 * seal must be the holder of that key's, not just of the key the file itself carries.
 */
export async function verifyBulletinCommand(args: string[]): Promise<number> {
  const key = stringOption(args, '--key');
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--key');
  if (!file) throw new UsageError('verify-bulletin needs the saved reply: npm run cli -- verify-bulletin <file> [--key <public key PEM file>]');
  const text = read(file);
  const trusted = key === undefined ? undefined : read(key);
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch (error) {
    console.error(`TAMPERED: ${file} is not JSON (${(error as Error).message})`);
    return 1;
  }
  const result = verifyBulletinReply(reply, trusted);
  console.log(JSON.stringify(result, null, 2));
  if (!result.ok) {
    const what = [result.seal.ok ? null : `seal: ${result.seal.detail ?? 'does not verify'}`, ...result.inconsistencies].filter((x): x is string => x !== null);
    console.error(`TAMPERED: bulletin ${result.period ?? '?'}: ${what.join('; ')}`);
  }
  return result.ok ? 0 : 1;
}
