import { userInfo } from 'node:os';
import { SubjectKeyStore, SubjectShredder } from '@app/privacy';
import { DomainError } from '@app/shared-kernel';
import { stringOption, UsageError } from '../cli-args';
import type { CliRuntime } from '../cli-runtime';

/**
 * `shred-subject <subjectId> [--by <name>] [--reason <text>]`: destroys the data subject's key, so
 * its personal data reads as erased everywhere while every hash chain stays intact. Recorded as
 * `pii.subject-shredded.v1` by the operator (who runs this with the server's database and
 * configuration, an administrator's access). Exit 0 when shredded or already shredded, 1 for an
 * unknown subject.
 */
export async function shredSubjectCommand(rt: CliRuntime, args: string[]): Promise<number> {
  const subjectId = args.find((a, i) => !a.startsWith('--') && !['--by', '--reason'].includes(args[i - 1] ?? ''));
  if (!subjectId) throw new UsageError('shred-subject needs the subject id, e.g. npm run cli -- shred-subject s-123');
  const operator = osUser();
  const by = stringOption(args, '--by') ?? operator;
  const reason = stringOption(args, '--reason') ?? null;
  const shredder = new SubjectShredder(new SubjectKeyStore(rt.pool), rt.store, rt.clock);
  try {
    const result = await shredder.shred(subjectId, { personId: `cli:${operator}`, name: by, unitId: null, roles: ['admin'] }, reason);
    console.log(JSON.stringify(result));
    console.error(result.outcome === 'shredded' ? `Shredded subject ${subjectId}: its key is destroyed and its personal data now reads as erased.` : `Subject ${subjectId} was already shredded at ${result.shreddedAt}; nothing to do.`);
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'UNKNOWN_SUBJECT') throw error;
    console.log(JSON.stringify({ outcome: 'unknown_subject', subjectId }));
    console.error(error.message);
    return 1;
  }
}

/** The operating-system account running the command; a container's uid may have no name. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
