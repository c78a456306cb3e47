import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Governance read models (DOMAIN.md §7): rm_incidents, one row per incident, with occurrence and
 * report times (迟报 findings, bulletins); rm_control_targets, one row per unit, metric and year
 * with its limit (null until set), use and thresholds crossed; rm_recommendations (三项建议) and
 * rm_interviews (约谈), each with its deadline and, once given, the answer or rectification. The
 * partial indexes find what is still owed by a deadline (recommendation_unanswered,
 * rectification_overdue).
 */
export class GovernanceReadModels1700000000012 implements MigrationInterface {
  name = 'GovernanceReadModels1700000000012';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE rm_incidents (
      incident_id text        PRIMARY KEY,
      event_id    text        NOT NULL,
      unit_id     text        NOT NULL,
      kind        text        NOT NULL,
      persons     integer     NOT NULL,
      occurred_at timestamptz NOT NULL,
      reported_at timestamptz NOT NULL,
      year        integer     NOT NULL,
      summary     text        NOT NULL,
      recorded_at timestamptz NOT NULL,
      recorded_by jsonb       NOT NULL,
      position    bigint      NOT NULL
    )`);
    await queryRunner.query(`CREATE INDEX rm_incidents_occurred ON rm_incidents (occurred_at, incident_id COLLATE "C")`);
    await queryRunner.query(`CREATE INDEX rm_incidents_unit_year ON rm_incidents (unit_id, year, kind)`);
    await queryRunner.query(`CREATE TABLE rm_control_targets (
      target_id   text             PRIMARY KEY,
      unit_id     text             NOT NULL,
      metric      text             NOT NULL,
      year        integer          NOT NULL,
      limit_value integer,
      used        integer          NOT NULL,
      warnings    double precision[] NOT NULL,
      view        jsonb            NOT NULL,
      version     integer          NOT NULL,
      position    bigint           NOT NULL
    )`);
    await queryRunner.query(`CREATE INDEX rm_control_targets_year ON rm_control_targets (year, unit_id)`);
    await queryRunner.query(`CREATE TABLE rm_recommendations (
      recommendation_id text        PRIMARY KEY,
      unit_id           text        NOT NULL,
      kind              text        NOT NULL,
      text              text        NOT NULL,
      answer_due_at     timestamptz NOT NULL,
      made_at           timestamptz NOT NULL,
      made_by           jsonb       NOT NULL,
      made_event_id     text        NOT NULL,
      answer_text       text,
      adopted           boolean,
      answered_at       timestamptz,
      late              boolean,
      answered_by       jsonb,
      answer_event_id   text,
      version           integer     NOT NULL,
      position          bigint      NOT NULL
    )`);
    await queryRunner.query(`CREATE INDEX rm_recommendations_made ON rm_recommendations (made_at, recommendation_id COLLATE "C")`);
    await queryRunner.query(`CREATE INDEX rm_recommendations_unit ON rm_recommendations (unit_id, made_at)`);
    await queryRunner.query(`CREATE INDEX rm_recommendations_unanswered ON rm_recommendations (answer_due_at) WHERE answered_at IS NULL`);
    await queryRunner.query(`CREATE TABLE rm_interviews (
      interview_id           text        PRIMARY KEY,
      unit_id                text        NOT NULL,
      person_ids             text[]      NOT NULL,
      reason                 text        NOT NULL,
      finding_ids            text[]      NOT NULL,
      rectification_due_at   timestamptz NOT NULL,
      recorded_at            timestamptz NOT NULL,
      recorded_by            jsonb       NOT NULL,
      event_id               text        NOT NULL,
      rectification_note     text,
      rectified_at           timestamptz,
      rectification_late     boolean,
      rectified_by           jsonb,
      rectification_event_id text,
      version                integer     NOT NULL,
      position               bigint      NOT NULL
    )`);
    await queryRunner.query(`CREATE INDEX rm_interviews_recorded ON rm_interviews (recorded_at, interview_id COLLATE "C")`);
    await queryRunner.query(`CREATE INDEX rm_interviews_unit ON rm_interviews (unit_id, recorded_at)`);
    await queryRunner.query(`CREATE INDEX rm_interviews_open ON rm_interviews (rectification_due_at) WHERE rectified_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rm_interviews`);
    await queryRunner.query(`DROP TABLE rm_recommendations`);
    await queryRunner.query(`DROP TABLE rm_control_targets`);
    await queryRunner.query(`DROP TABLE rm_incidents`);
  }
}
