import { DomainError } from '@app/shared-kernel';
import { fingerprintOf, newDataKey, openField, sealField, unwrapDataKey, wrapDataKey } from './personal-data.cipher';
import type { SubjectKeyStore } from './subject-key.store';

/** Named personal fields of one subject: plaintext in, `v1.…` ciphertext out; null stays null, so the shape is kept. */
export type PersonalFields = Record<string, string | null>;

/** The keys of some subjects, fetched once for a whole reply. */
export class SubjectKeyring {
  constructor(
    private readonly masterKey: Buffer,
    private readonly wrapped: ReadonlyMap<string, Buffer | null>,
  ) {}

  /** Shredded, or never had a key here: its data can no longer be read by anyone. */
  erased(subjectId: string): boolean {
    return (this.wrapped.get(subjectId) ?? null) === null;
  }

  /** The plaintext of a live subject's fields; throws for an erased one (ask `erased` first). */
  open<T extends PersonalFields>(subjectId: string, sealed: T): T {
    const wrapped = this.wrapped.get(subjectId);
    if (!wrapped) throw new Error(`subject ${subjectId} is erased; its data cannot be opened`);
    const key = unwrapDataKey(this.masterKey, subjectId, wrapped);
    try {
      return mapFields(sealed, (field, value) => openField(key, subjectId, field, value));
    } finally {
      key.fill(0);
    }
  }
}

/**
 * Personal data encrypted per data subject (DESIGN.md §6): each subject gets its own random data
 * key, kept only wrapped under the master key in pii_subject_keys. Events carry ciphertext, so the
 * hash chains cover ciphertext; destroying the key (SubjectShredder) erases the data everywhere
 * it was copied (events, read models, bundles, backups) without touching a single hash.
 * Keys are read from the table on every use, never cached, so a shred holds at once in every process.
 */
export class PersonalDataVault {
  constructor(
    private readonly keys: SubjectKeyStore,
    private readonly masterKey: Buffer,
  ) {}

  /** Seals the fields under the subject's key, creating the key for a new subject. An erased subject takes no new data. */
  async seal<T extends PersonalFields>(subjectId: string, fields: T, field = 'subjectId'): Promise<T> {
    const row = await this.keys.findOrCreate(subjectId, wrapDataKey(this.masterKey, subjectId, newDataKey()));
    if (row.wrappedKey === null) {
      throw new DomainError('rule', 'SUBJECT_ERASED', `The personal data of subject ${subjectId} was erased; record it under a new subject id.`, [{ field, message: 'erased subject' }]);
    }
    const key = unwrapDataKey(this.masterKey, subjectId, row.wrappedKey);
    try {
      return mapFields(fields, (name, value) => sealField(key, subjectId, name, value));
    } finally {
      key.fill(0);
    }
  }

  /** A keyed digest of text that may hold personal data (see fingerprintOf). */
  fingerprint(text: string): string {
    return fingerprintOf(this.masterKey, text);
  }

  /**
   * Refuses to start with a master key that does not open the stored keys: a replica or a restart
   * that created a fresh master key (another DATA_DIR, a missing secret) would otherwise wrap new
   * subjects under a key the other processes do not have, and fail on every read.
   */
  async checkMasterKey(): Promise<void> {
    const row = await this.keys.anyLive();
    if (!row || row.wrappedKey === null) return;
    try {
      unwrapDataKey(this.masterKey, row.subjectId, row.wrappedKey).fill(0);
    } catch (error) {
      throw new Error('PII_MASTER_KEY_FILE does not hold the master key the stored personal-data keys were wrapped with', { cause: error });
    }
  }

  async keyring(subjectIds: readonly string[]): Promise<SubjectKeyring> {
    const rows = await this.keys.find(subjectIds);
    return new SubjectKeyring(this.masterKey, new Map([...rows].map(([id, row]) => [id, row.wrappedKey])));
  }
}

function mapFields<T extends PersonalFields>(fields: T, f: (field: string, value: string) => string): T {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, value === null ? null : f(name, value)])) as T;
}
