import type { AccessLog } from '@app/audit';
import type { TaskView } from '@app/projections';
import type { PersonalDataVault } from '@app/privacy';
import type { Principal, Role } from '@app/shared-kernel';
import { recordAccess } from '../audit/ledger-access';
import type { PetitionerView } from './petitioner';

/**
 * Who reads petitioners in the clear: discipline inspectors, whose 倒查 may need to check a
 * petitioner was really contacted. The office and the units supervise the work, which needs only to
 * know that a petitioner exists (data minimisation); the petition system itself holds the case.
 */
const READS_PERSONAL_DATA: readonly Role[] = ['inspector'];

export type DisclosedTaskView = Omit<TaskView, 'petitioner'> & { petitioner: PetitionerView | null };

/**
 * Replaces each task's sealed petitioner with what this reader may see. The keys of every subject
 * in the reply are fetched in one query; a plaintext disclosure is recorded as an
 * `audit.data-read.v1` event naming the tasks and subjects before any of it is decrypted.
 */
export async function disclosePetitioners(views: readonly TaskView[], principal: Principal, vault: PersonalDataVault, accessLog: AccessLog): Promise<DisclosedTaskView[]> {
  const sealed = views.flatMap((v) => (v.petitioner === null ? [] : [{ taskId: v.id, petitioner: v.petitioner }]));
  if (sealed.length === 0) return views.map((v) => ({ ...v, petitioner: null }));
  const keyring = await vault.keyring(sealed.map((s) => s.petitioner.subjectId));
  const live = sealed.filter((s) => !keyring.erased(s.petitioner.subjectId));
  const opens = live.length > 0 && principal.roles.some((r) => READS_PERSONAL_DATA.includes(r));
  if (opens) await recordAccess(accessLog, principal, 'tasks.petitioner', { taskIds: live.map((s) => s.taskId), subjectIds: [...new Set(live.map((s) => s.petitioner.subjectId))] });
  return views.map((v): DisclosedTaskView => {
    const p = v.petitioner;
    if (p === null) return { ...v, petitioner: null };
    const subjectId = p.subjectId;
    if (keyring.erased(subjectId)) return { ...v, petitioner: { subjectId, erased: true, redacted: false } };
    if (!opens) return { ...v, petitioner: { subjectId, erased: false, redacted: true } };
    return { ...v, petitioner: { subjectId, erased: false, redacted: false, ...keyring.open(subjectId, p.ciphertext) } };
  });
}
