import { readFileSync } from 'node:fs';
import { verifyEvidenceBundle } from '@app/audit';
import { UsageError } from '../cli-args';

/**
 * `verify-bundle <file>`: checks an exported evidence bundle with nothing but the file: no
 * database, no network, no configuration. Exit 0 when intact, 1 naming the first bad event.
 */
export async function verifyBundleCommand(args: string[]): Promise<number> {
  const [file] = args;
  if (!file) throw new UsageError('verify-bundle needs the bundle file: npm run cli -- verify-bundle <file>');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let bundle: unknown;
  try {
    bundle = JSON.parse(text);
  } catch (error) {
    console.error(`TAMPERED: ${file} is not JSON (${(error as Error).message})`);
    return 1;
  }
  const result = verifyEvidenceBundle(bundle);
  console.log(JSON.stringify(result, null, 2));
  const bad = result.firstBad;
  if (bad) {
    const where = [bad.eventId && `event ${bad.eventId}`, bad.streamId && `stream ${bad.streamId}`, bad.position !== null && `position ${bad.position}`].filter(Boolean).join(', ');
    console.error(`TAMPERED: ${bad.reason}${where ? ` at ${where}` : ''}: ${bad.detail}`);
  }
  return result.ok ? 0 : 1;
}
