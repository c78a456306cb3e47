import { isStalled, type ProjectionProgress } from './projection-stall';

const NOW = new Date('2026-03-01T10:00:00Z');
const ago = (seconds: number): Date => new Date(NOW.getTime() - seconds * 1000);
const THRESHOLD = 30_000;
const tasks = (p: Partial<ProjectionProgress>): ProjectionProgress => ({ name: 'tasks.v2', position: 90, movedAt: ago(5), waitingSince: ago(5), ...p });

describe('a projection is stalled when it trails the head without moving for longer than the threshold', () => {
  it('trailing, not moved for 45 s, and the next event waiting for 45 s: stalled', () => {
    expect(isStalled(tasks({ movedAt: ago(45), waitingSince: ago(45) }), 100, NOW, THRESHOLD)).toBe(true);
  });

  it('never moved at all (no checkpoint) while events wait longer than the threshold: stalled', () => {
    expect(isStalled(tasks({ position: 0, movedAt: null, waitingSince: ago(31) }), 100, NOW, THRESHOLD)).toBe(true);
  });

  it('at the head it is never stalled, however long ago it last moved', () => {
    expect(isStalled(tasks({ position: 100, movedAt: ago(3600), waitingSince: null }), 100, NOW, THRESHOLD)).toBe(false);
  });

  it('lagging far behind but moving (a catch-up) is not stalled', () => {
    expect(isStalled(tasks({ position: 10, movedAt: ago(1), waitingSince: ago(600) }), 100_000, NOW, THRESHOLD)).toBe(false);
  });

  it('idle for an hour and handed an event a moment ago is not stalled', () => {
    expect(isStalled(tasks({ movedAt: ago(3600), waitingSince: ago(0.02) }), 100, NOW, THRESHOLD)).toBe(false);
  });

  it('exactly at the threshold is not yet stalled; just past it is', () => {
    expect(isStalled(tasks({ movedAt: ago(30), waitingSince: ago(40) }), 100, NOW, THRESHOLD)).toBe(false);
    expect(isStalled(tasks({ movedAt: ago(30.001), waitingSince: ago(40) }), 100, NOW, THRESHOLD)).toBe(true);
  });
});
