import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags,
  ApiUnauthorizedResponse, ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { z } from 'zod';
import { AccessLog, CheckpointRepository, CheckpointService, CheckpointTree, EvidenceBundleExporter, VerificationService, type EvidenceBundle, type StoredCheckpoint, type VerifyResult } from '@app/audit';
import { AppConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { hashAlgorithmFor } from '@app/ledger';
import { Clock, DomainError, type Principal } from '@app/shared-kernel';
import { CurrentPrincipal, Roles } from '../http/auth/auth.decorators';
import type { HeaderSink } from '../http/fields';
import { pageSize } from '../http/paging';
import { ZodBody } from '../http/zod-body';
import { recordAccess } from './ledger-access';
import { BUNDLE_SCHEMA, CHECKPOINT_LIST_SCHEMA, exportRequest, PROOF_SCHEMA, VERIFICATION_SCHEMA, verificationRequest } from './ledger-audit.schemas';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tamper evidence for inspectors (DESIGN.md §3.8): verification, signed checkpoints, proofs, evidence bundles. */
@ApiTags('audit')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiForbiddenResponse({ description: 'Inspectors only (admins may also run verifications) (ROLE_FORBIDDEN).' })
@Controller('audit')
export class LedgerAuditController {
  private readonly exporter: EvidenceBundleExporter;

  constructor(
    private readonly verifier: VerificationService,
    private readonly checkpoints: CheckpointRepository,
    private readonly store: EventStore,
    private readonly accessLog: AccessLog,
    config: AppConfig,
    signer: CheckpointService,
    clock: Clock,
  ) {
    this.exporter = new EvidenceBundleExporter(store, checkpoints, signer, config.ledgerAlgorithm, config.eventStore === 'postgres', clock);
  }

  @Post('verifications')
  @HttpCode(200)
  @Roles('inspector', 'admin')
  @ApiOperation({ summary: 'Recompute every hash, chain and signed checkpoint (of the log, a position range or one stream) and name the first altered, removed or reordered event' })
  @ApiOkResponse({ description: 'ok is false with firstBad when anything was altered; the read is recorded in the access log.', schema: VERIFICATION_SCHEMA })
  @ApiBadRequestResponse({ description: 'Invalid body, e.g. fromPosition after toPosition (VALIDATION_FAILED).' })
  @ApiNotFoundResponse({ description: 'No such stream (STREAM_NOT_FOUND).' })
  async verify(@ZodBody(verificationRequest) body: z.infer<typeof verificationRequest>, @CurrentPrincipal() principal: Principal): Promise<VerifyResult> {
    if (body.streamId !== undefined && !(await this.store.streamHead(body.streamId))) throw new DomainError('not_found', 'STREAM_NOT_FOUND', `There is no stream ${body.streamId}.`);
    const result = await this.verifier.verify(body);
    await recordAccess(this.accessLog, principal, 'audit.verifications', { fromPosition: body.fromPosition, toPosition: body.toPosition, streamId: body.streamId });
    return result;
  }

  @Get('checkpoints')
  @Roles('inspector')
  @ApiOperation({ summary: 'Signed Merkle checkpoints over the global log, oldest first, each linked to the one before' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' }, description: 'nextCursor of the previous page.' })
  @ApiOkResponse({ description: 'A page of checkpoints with the public key of each.', schema: CHECKPOINT_LIST_SCHEMA })
  @ApiBadRequestResponse({ description: 'A bad limit or cursor (INVALID_LIMIT, INVALID_CURSOR).' })
  async listCheckpoints(@Query('limit') limit: string | undefined, @Query('cursor') cursor: string | undefined, @CurrentPrincipal() principal: Principal): Promise<{ items: StoredCheckpoint[]; nextCursor: string | null }> {
    const size = pageSize(limit);
    const after = cursorOf(cursor);
    const rest = (await this.checkpoints.all()).filter((c) => c.seq > after);
    const items = rest.slice(0, size);
    await recordAccess(this.accessLog, principal, 'audit.checkpoints', { limit: size, cursor: cursor ?? null });
    return { items, nextCursor: rest.length > size ? String(items[items.length - 1]?.seq) : null };
  }

  @Get('checkpoints/:seq/proof')
  @Roles('inspector')
  @ApiOperation({ summary: 'RFC 9162 inclusion proof of one event in a checkpoint’s Merkle tree, with the checkpoint and the key to check it' })
  @ApiParam({ name: 'seq', schema: { type: 'integer', minimum: 1 } })
  @ApiQuery({ name: 'eventId', required: true, schema: { type: 'string' } })
  @ApiOkResponse({ description: 'Hash the leaf up the audit path to reach rootHash, then verify the checkpoint signature.', schema: PROOF_SCHEMA })
  @ApiBadRequestResponse({ description: 'No eventId, or a malformed seq (EVENT_ID_REQUIRED, INVALID_PARAMETER).' })
  @ApiNotFoundResponse({ description: 'No such checkpoint or event (CHECKPOINT_NOT_FOUND, EVENT_NOT_FOUND).' })
  @ApiUnprocessableEntityResponse({ description: 'The event was recorded after this checkpoint (EVENT_AFTER_CHECKPOINT): ask a later one.' })
  @ApiConflictResponse({ description: 'The log no longer gives this checkpoint’s signed root (LOG_DOES_NOT_MATCH_CHECKPOINT): run a verification.' })
  async proof(@Param('seq') seqParam: string, @Query('eventId') eventId: string | undefined, @CurrentPrincipal() principal: Principal): Promise<Record<string, unknown>> {
    if (!/^\d{1,15}$/.test(seqParam)) throw new DomainError('invalid', 'INVALID_PARAMETER', 'seq must be a checkpoint number.', [{ field: 'seq', message: 'a whole number' }]);
    if (!eventId) throw new DomainError('invalid', 'EVENT_ID_REQUIRED', 'Name the event: ?eventId=', [{ field: 'eventId', message: 'required' }]);
    const seq = Number(seqParam);
    const checkpoint = (await this.checkpoints.all()).find((c) => c.seq === seq);
    if (!checkpoint) throw new DomainError('not_found', 'CHECKPOINT_NOT_FOUND', `There is no checkpoint ${seq}.`);
    const [event] = UUID.test(eventId) ? await this.store.readEvents([eventId], { raw: true }) : [];
    if (!event) throw new DomainError('not_found', 'EVENT_NOT_FOUND', `There is no event ${eventId}.`);
    if (event.position > checkpoint.lastPosition) {
      throw new DomainError('rule', 'EVENT_AFTER_CHECKPOINT', `Event ${eventId} is at position ${event.position}, after checkpoint ${seq} (up to ${checkpoint.lastPosition}); use a later checkpoint.`);
    }
    const tree = await CheckpointTree.build(this.store, checkpoint);
    const proof = tree.matchesCheckpoint ? tree.proof(event.eventId, event.position) : null;
    if (!proof) throw new DomainError('conflict', 'LOG_DOES_NOT_MATCH_CHECKPOINT', `The log up to position ${checkpoint.lastPosition} no longer gives checkpoint ${seq}'s signed root; run POST /audit/verifications.`);
    await recordAccess(this.accessLog, principal, 'audit.checkpoint-proof', { seq, eventId });
    return {
      ...proof,
      streamId: event.streamId,
      eventHash: event.hash,
      rootHash: checkpoint.rootHash,
      algorithm: checkpoint.algorithm,
      hashAlgorithm: hashAlgorithmFor(checkpoint.algorithm),
      publicKey: checkpoint.publicKey,
      checkpoint,
    };
  }

  @Post('exports')
  @HttpCode(200)
  @Roles('inspector')
  @ApiOperation({ summary: 'Export an evidence bundle: whole streams (or tasks) with their hash chains, the covering signed checkpoint, an inclusion proof per event and the public key' })
  @ApiOkResponse({ description: 'The bundle (one JSON document, also offered as a file download); signs a new checkpoint first when none covers the events yet.', schema: BUNDLE_SCHEMA })
  @ApiBadRequestResponse({ description: 'Invalid body, or nothing selected (VALIDATION_FAILED, SELECTION_REQUIRED).' })
  @ApiNotFoundResponse({ description: 'A named stream or task does not exist (STREAM_NOT_FOUND, TASK_NOT_FOUND).' })
  @ApiUnprocessableEntityResponse({ description: 'No event in the selection and range (EMPTY_SELECTION), or too much for one bundle (BUNDLE_TOO_LARGE).' })
  async export(@ZodBody(exportRequest) body: z.infer<typeof exportRequest>, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: HeaderSink): Promise<EvidenceBundle> {
    const bundle = await this.exporter.export(body, principal);
    await recordAccess(this.accessLog, principal, 'audit.exports', { streamIds: bundle.selection.streamIds, fromPosition: body.fromPosition, toPosition: body.toPosition, checkpointSeq: bundle.checkpoint.seq, events: bundle.events.length });
    response.setHeader('Content-Disposition', `attachment; filename="evidence-${bundle.checkpoint.seq}-${Date.parse(bundle.exportedAt)}.json"`);
    return bundle;
  }
}

/** `cursor` is the seq of the last checkpoint already seen. */
function cursorOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d{1,15}$/.test(cursor)) throw new DomainError('invalid', 'INVALID_CURSOR', 'cursor must be a nextCursor this endpoint gave.', [{ field: 'cursor', message: 'not a cursor of this list' }]);
  return Number(cursor);
}
