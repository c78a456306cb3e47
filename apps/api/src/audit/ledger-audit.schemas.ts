import { z } from 'zod';
import { id } from '../http/fields';

/** OpenAPI schemas of the ledger endpoints' replies (what /docs-json promises clients). */
const str = { type: 'string' };
const int = { type: 'integer' };
const nullableStr = { type: 'string', nullable: true };
const hex = { type: 'string', description: 'lowercase hex, 32 bytes' };

const position = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** `<context>.<aggregate>-<id>`, e.g. `supervision.task-lanwei`. */
export const streamId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, 'a stream id such as supervision.task-<id>');

const rangeInOrder = (b: { fromPosition?: number; toPosition?: number }): boolean => b.fromPosition === undefined || b.toPosition === undefined || b.fromPosition <= b.toPosition;
const rangeProblem = { message: 'fromPosition must not be after toPosition', path: ['fromPosition'] };

export const verificationRequest = z.object({ fromPosition: position.optional(), toPosition: position.optional(), streamId: streamId.optional() }).strict().refine(rangeInOrder, rangeProblem);

export const exportRequest = z
  .object({ streamIds: z.array(streamId).min(1).max(200).optional(), taskIds: z.array(id).min(1).max(200).optional(), fromPosition: position.optional(), toPosition: position.optional() })
  .strict()
  .refine(rangeInOrder, rangeProblem);

export const VERIFICATION_SCHEMA = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    checkedEvents: int,
    checkedCheckpoints: { ...int, description: 'Signed checkpoints whose Merkle root was recomputed (whole-log checks only).' },
    firstBad: {
      type: 'object',
      description: 'The first event that does not fit; present only when ok is false.',
      properties: {
        position: int,
        streamId: nullableStr,
        eventId: { ...nullableStr, description: 'Null for a removed event (its id is gone with it) and for a checkpoint mismatch.' },
        reason: { type: 'string', enum: ['hash_mismatch', 'broken_link', 'missing_event', 'position_order', 'version_order', 'checkpoint_mismatch'] },
        detail: str,
      },
      required: ['position', 'streamId', 'eventId', 'reason', 'detail'],
    },
  },
  required: ['ok', 'checkedEvents', 'checkedCheckpoints'],
};

const SIGNED_CHECKPOINT_PROPERTIES = {
  seq: int,
  treeSize: { ...int, description: 'Events (Merkle leaves) covered.' },
  lastPosition: { ...int, description: 'Global position of the last covered event.' },
  rootHash: hex,
  prevCheckpointHash: { ...hex, nullable: true },
  algorithm: { type: 'string', enum: ['ed25519', 'sm2'] },
  keyId: str,
  createdAt: { type: 'string', format: 'date-time', description: 'As signed (UTC): presenting it otherwise would break the signature.' },
  checkpointHash: hex,
  signature: { type: 'string', description: 'base64 signature over the canonical (RFC 8785) body.' },
};
const SIGNED_CHECKPOINT_REQUIRED = Object.keys(SIGNED_CHECKPOINT_PROPERTIES);

export const CHECKPOINT_SCHEMA = {
  type: 'object',
  properties: { ...SIGNED_CHECKPOINT_PROPERTIES, publicKey: { type: 'string', description: 'PEM (SPKI) key that verifies the signature.' } },
  required: [...SIGNED_CHECKPOINT_REQUIRED, 'publicKey'],
};

export const CHECKPOINT_LIST_SCHEMA = {
  type: 'object',
  properties: { items: { type: 'array', items: CHECKPOINT_SCHEMA }, nextCursor: nullableStr },
  required: ['items', 'nextCursor'],
};

export const PROOF_SCHEMA = {
  type: 'object',
  properties: {
    eventId: str,
    streamId: str,
    position: int,
    eventHash: hex,
    leafIndex: int,
    treeSize: int,
    leafHash: { ...hex, description: 'RFC 9162 leaf: HASH(0x00 || be64(position) || eventHash).' },
    auditPath: { type: 'array', items: hex, description: 'RFC 9162 PATH, leaf first.' },
    rootHash: hex,
    algorithm: { type: 'string', enum: ['ed25519', 'sm2'] },
    hashAlgorithm: { type: 'string', enum: ['sha256', 'sm3'] },
    publicKey: str,
    checkpoint: CHECKPOINT_SCHEMA,
  },
  required: ['eventId', 'streamId', 'position', 'eventHash', 'leafIndex', 'treeSize', 'leafHash', 'auditPath', 'rootHash', 'algorithm', 'hashAlgorithm', 'publicKey', 'checkpoint'],
};

const BUNDLED_EVENT_SCHEMA = {
  type: 'object',
  description: 'The event exactly as stored and hashed.',
  properties: {
    eventId: str, streamId: str, streamVersion: int, position: int, prevPosition: { ...int, nullable: true },
    type: str, schemaVersion: int, data: {}, metadata: { type: 'object' }, recordedAt: str, hash: hex, prevHash: { ...hex, nullable: true },
  },
  required: ['eventId', 'streamId', 'streamVersion', 'position', 'prevPosition', 'type', 'schemaVersion', 'data', 'metadata', 'recordedAt', 'hash', 'prevHash'],
};

export const BUNDLE_SCHEMA = {
  type: 'object',
  description: 'Self-contained evidence; check it offline with `npm run cli -- verify-bundle <file>`.',
  properties: {
    format: { type: 'string', enum: ['supervision-ledger/evidence-bundle'] },
    formatVersion: { type: 'integer', enum: [1] },
    exportedAt: str,
    exportedBy: { type: 'object', properties: { personId: str, name: str }, required: ['personId', 'name'] },
    selection: { type: 'object', properties: { streamIds: { type: 'array', items: str }, fromPosition: { ...int, nullable: true }, toPosition: { ...int, nullable: true } }, required: ['streamIds', 'fromPosition', 'toPosition'] },
    algorithm: { type: 'string', enum: ['ed25519', 'sm2'] },
    hashAlgorithm: { type: 'string', enum: ['sha256', 'sm3'] },
    hashPositions: { type: 'boolean' },
    publicKey: str,
    checkpoint: { type: 'object', properties: SIGNED_CHECKPOINT_PROPERTIES, required: SIGNED_CHECKPOINT_REQUIRED },
    streams: { type: 'array', items: { type: 'object', properties: { streamId: str, lastVersion: int, lastHash: hex }, required: ['streamId', 'lastVersion', 'lastHash'] } },
    events: { type: 'array', items: BUNDLED_EVENT_SCHEMA, description: 'Every event of the streams from version 1, in log order.' },
    proofs: {
      type: 'array',
      items: { type: 'object', properties: { eventId: str, position: int, leafIndex: int, treeSize: int, leafHash: hex, auditPath: { type: 'array', items: hex } }, required: ['eventId', 'position', 'leafIndex', 'treeSize', 'leafHash', 'auditPath'] },
    },
    seal: {
      type: 'object',
      description: 'The ledger key’s signature over the canonical JSON (RFC 8785) of every other field: which streams were exported and where each ends are covered too.',
      properties: { algorithm: { type: 'string', enum: ['ed25519', 'sm2'] }, keyId: str, digest: hex, signature: str },
      required: ['algorithm', 'keyId', 'digest', 'signature'],
    },
  },
  required: ['format', 'formatVersion', 'exportedAt', 'exportedBy', 'selection', 'algorithm', 'hashAlgorithm', 'hashPositions', 'publicKey', 'checkpoint', 'streams', 'events', 'proofs', 'seal'],
};

export const ACCESS_LOG_SCHEMA = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          eventId: str,
          position: int,
          at: { type: 'string', format: 'date-time' },
          actor: { type: 'object', properties: { personId: str, name: str, unitId: nullableStr, roles: { type: 'array', items: str } }, required: ['personId', 'name', 'unitId', 'roles'] },
          resource: { ...str, description: 'e.g. audit.checkpoints, audit.exports' },
          params: { type: 'object', description: 'What shaped the read (ids, ranges, filters).' },
        },
        required: ['eventId', 'position', 'at', 'actor', 'resource', 'params'],
      },
    },
    nextCursor: nullableStr,
  },
  required: ['items', 'nextCursor'],
};
